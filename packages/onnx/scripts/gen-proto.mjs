// Regenerates src/proto/gen/onnx_pb.ts from proto/onnx.proto (ONNX's onnx.proto3, copied verbatim
// from onnx/onnx at the tag named in proto/README.md) with buf and protoc-gen-es, both
// devDependencies: no network is needed. Run `pnpm --filter @mapnn/onnx gen:proto` after
// replacing proto/onnx.proto, and commit the result.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const template = {
  version: 'v2',
  clean: true,
  plugins: [{ local: bin('protoc-gen-es'), out: 'src/proto/gen', opt: ['target=ts', 'import_extension=js'] }],
};
execFileSync(bin('buf'), ['generate', 'proto', '--template', JSON.stringify(template)], { cwd: pkg, stdio: 'inherit' });
