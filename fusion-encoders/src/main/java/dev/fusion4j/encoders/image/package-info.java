/**
 * The pure-Java image front end of the CNN image encoder: decoding and tensor preparation, no DJL.
 *
 * <p>{@link dev.fusion4j.encoders.image.ImageDecoder} turns an {@link dev.fusion4j.api.ImageInput}
 * (PNG, JPEG, GIF, BMP or an already decoded image) into an sRGB {@code TYPE_INT_RGB} image: alpha
 * composited over white, grey, palette, 16-bit, CMYK and YCCK converted to RGB, JPEG EXIF orientation
 * applied, oversized images refused from their header before any pixel is decoded, and every kind of
 * bad input reported as an {@link dev.fusion4j.api.InvalidInputException} naming the input.
 *
 * <p>{@link dev.fusion4j.encoders.image.ImagePreprocessor} resizes (separable, PIL/torchvision
 * {@code antialias=True} style), centre-crops and normalises a decoded image into a float CHW tensor,
 * torchvision's ImageNet pipeline by default. {@link dev.fusion4j.encoders.image.ImageAugmentation} draws seeded
 * perturbed copies of an image (affine, colour, blur) for training-time robustness. All are immutable and
 * thread-safe.
 */
package dev.fusion4j.encoders.image;
