/** A 2-D convolution's stride and symmetric zero padding (as PyTorch's Conv2d). */
export interface ConvGeometry {
  stride: number;
  pad: number;
}
