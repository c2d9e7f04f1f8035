// Metrics that show what pruning did (DOM-free; any tfjs backend; every tensor made is freed).
//
// NTK. For a masked model in eval mode (BatchNorm on running statistics, forward with mask·weight)
// and the first n inputs, J has one row per (input i, logit k), row index i·C + k, and one column
// per prunable weight (pruned weights give zero columns; biases, BN and Identity2d are not in J).
// Θ = J Jᵀ (n·C × n·C) is returned in float64 with its eigenvalues (descending, ml-matrix's
// symmetric solver in float64), trace, numerical rank and condition number λmax/λmin⁺, where
// λmin⁺ is the smallest eigenvalue above relTol·λmax (default relTol = n·C·2⁻²³: Θ is formed from
// float32 Jacobian products), and the trace split by layer (Θ = Σ_l Θ_l).
//   - ntkMatrix: the structured computation (per layer from its inputs and back-propagated
//     signals, J never formed). Use this.
//   - ntkMatrixLoop: one backward pass per row of J; the test oracle.
//   - ntkReport: either of them plus the spectrum; runNtkJob: the same from plain arrays.
//
// Layers. layerStats gives, per prunable layer, kept/total (density), output width (units with a
// kept incoming weight), effective weights and width (on a complete input→output path of kept
// weights), `collapsed` (no kept weight on any such path) and FLOPs (2·MACs of kept weights per
// input); for the network, kept and effective weights, effective density, FLOPs and
// `disconnected` (no input→output path survives). A ResNet layer can collapse while its block's
// identity shortcut keeps the network connected.

export { DEFAULT_NTK_N, MAX_NTK_N, type NtkMatrix, type NtkMatrixOptions, type NtkRequest } from './ntk-common';
export { ntkMatrix, type StructuredNtkOptions } from './ntk';
export { ntkMatrixLoop, type NtkLoopTiming } from './ntk-loop';
export { defaultRelTol, FLOAT32_EPS, spectrum, symmetricEigenvaluesDesc, type Spectrum } from './spectrum';
export { layerStats, layerTableCsv, snakeCase, type LayerStatsRow, type LayerTable, type NetworkRow } from './layers';
export {
  masksFromSafeFile,
  ntkReport,
  runLayerStatsJob,
  runNtkJob,
  uploadMasks,
  type HostMasks,
  type NtkJob,
  type NtkMethod,
  type NtkReport,
  type NtkReportOptions,
} from './arrays';
