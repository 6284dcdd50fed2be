import ort from 'onnxruntime-node';
import { encodeModelProto, hostToTensorProto } from '@mapnn/onnx';
const n=512;
const vi=(name,shape)=>({name,type:{tensorType:{elemType:1,shape:{dim:shape.map(d=>({dimValue:d}))}}}});
const bytes = encodeModelProto({irVersion:8, opsetImport:[{domain:'',version:13}], producerName:'mapnn-bench', graph:{name:'mm', node:[{opType:'MatMul',input:['a','b'],output:['y'],name:'mm'}], input:[vi('a',[n,n]),vi('b',[n,n])], output:[vi('y',[n,n])]}});
const s = await ort.InferenceSession.create(bytes, {executionProviders:['cpu'], intraOpNumThreads:2, interOpNumThreads:1, graphOptimizationLevel:'all'});
const a=new ort.Tensor('float32', Float32Array.from({length:n*n},()=>Math.random()),[n,n]);
const b=new ort.Tensor('float32', Float32Array.from({length:n*n},()=>Math.random()),[n,n]);
for (let i=0;i<6;i++){ const t0=performance.now(); const r=await s.run({a,b}); const d=r.y.data; r.y.dispose?.(); const ms=performance.now()-t0; console.log(ms.toFixed(1), (2*n**3/ms/1e6).toFixed(1), d.length); }
