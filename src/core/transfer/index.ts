// Transfer after pruning (the paper's second claim), DOM-free:
//   fitRidgeHead({ x, n, d, y, classes }, alpha?) → RidgeHead      the official RidgeClassificationHead, float64
//   runTransferJob({ model, stateDict, downstream, settings, … }) → { head, dense, cells }
//   probeAccuracy(model, sd, masks, downstream, settings) → the pruned backbone's linear probe
//   backboneModel(model) / headLayer(model) / withHead(...) / extractFeatures(...)
export { fitRidgeHead, ridgeSystem, balancedClassWeights, RIDGE_ALPHA, RIDGE_EPS, type RidgeHead, type RidgeSamples } from './ridge';
export { backboneModel, headLayer, withHead, extractFeatures } from './backbone';
export { recalibrateBn } from './recalibrate';
export { runTransferJob, fitHead, probeAccuracy, limitDataset, type TransferJob, type TransferRun, type TransferStage } from './run';
export * from '../../shared/transfer';
