/**
 * @mapnn/core — tensors, dtypes, broadcasting, the op set, define-by-run autograd with
 * higher-order gradients, memory scopes, seeded randomness and the plugin/kernel registry.
 * Import a backend package (e.g. `@mapnn/backend-cpu`) to compute.
 *
 * This entry installs the Tensor methods (`x.add(y)`, `x.relu()`, `x.backward()`; chained
 * methods need every op). `@mapnn/core/functions` is the same API without them, for bundles
 * that keep only the ops they name.
 */
export * from './functions.js';
import { installTensorMethods } from './tensor-methods.js';

installTensorMethods();
