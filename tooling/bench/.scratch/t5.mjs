import { init, defaultDevice, jit, numpy as np, nn, lax, valueAndGrad, tree } from '@jax-js/jax';
await init('wasm'); defaultDevice('wasm');
const N=64;
const rnd=(n,s=0.05)=>Float32Array.from({length:n},()=>(Math.random()*2-1)*s);
const arr=(d,shape)=>np.array(d).reshape(shape);
const p={ c1:arr(rnd(32*9),[32,1,3,3]), cb1:np.zeros([32]), c2:arr(rnd(64*32*9),[64,32,3,3]), cb2:np.zeros([64]), w3:arr(rnd(1600*128),[1600,128]), b3:np.zeros([128]), w4:arr(rnd(128*10),[128,10]), b4:np.zeros([10]) };
const zeros=(t)=>tree.map((a)=>np.zeros(a.shape), t);
let m=zeros(p), v=zeros(p), params=p;
const x=arr(Float32Array.from({length:N*784},()=>Math.random()),[N,1,28,28]);
const y=nn.oneHot(np.array(Int32Array.from({length:N},(_,i)=>i%10),{dtype:np.int32}),10);
function pool(h,C,S){ // [N,C,S,S] -> [N,C,S/2,S/2], floor
  const s=Math.floor(S/2);
  if (S%2) h=h.slice([],[],[0,2*s],[0,2*s]);
  return h.reshape([N,C,s,2,s,2]).max([3,5]);
}
function loss(p,x,y){
  let h=nn.relu(lax.conv(x,p.c1,[1,1],'VALID').add(p.cb1.reshape([32,1,1])));
  h=pool(h,32,26);
  h=nn.relu(lax.conv(h,p.c2,[1,1],'VALID').add(p.cb2.reshape([64,1,1])));
  h=pool(h,64,11).reshape([N,1600]);
  h=nn.relu(np.matmul(h,p.w3).add(p.b3));
  const lo=np.matmul(h,p.w4).add(p.b4);
  return nn.logSoftmax(lo,-1).mul(y).sum().mul(-1/N);
}
const b1=0.9,b2=0.999,eps=1e-8;
const step=jit((p,m,v,x,y,c1,c2)=>{
  const [l,g]=valueAndGrad(loss)(tree.ref(p),x,y);
  const m2=tree.map((mi,gi)=>mi.mul(b1).add(gi.mul(1-b1)),m,tree.ref(g));
  const v2=tree.map((vi,gi)=>vi.mul(b2).add(gi.ref.mul(gi).mul(1-b2)),v,g);
  const p2=tree.map((pi,mi,vi)=>pi.sub(mi.mul(c1.ref).div(np.sqrt(vi.mul(c2.ref)).add(eps))),p,tree.ref(m2),tree.ref(v2));
  c1.dispose(); c2.dispose();
  return [l,p2,m2,v2];
});
for (let t=1;t<=4;t++){
  const t0=performance.now();
  const c1=np.array(1e-3/(1-b1**t)), c2=np.array(1/(1-b2**t));
  const [l,p2,m2,v2]=step(params,m,v,x.ref,y.ref,c1,c2);
  params=p2;m=m2;v=v2;
  const lv=l.dataSync()[0];
  console.log(t, lv, (performance.now()-t0).toFixed(1));
}
