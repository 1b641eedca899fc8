/**
 * Unimodal encoders on DJL: {@link dev.fusion4j.encoders.BertTextEncoder} (BERT-family text models with a
 * HuggingFace {@code tokenizer.json}) and {@link dev.fusion4j.encoders.CnnImageEncoder} (ResNet, MobileNet or any
 * CNN whose output is a pooled feature vector), both loading ONNX (ONNX Runtime engine) or TorchScript (PyTorch
 * engine) models named by a {@link dev.fusion4j.encoders.ModelSource}.
 *
 * <p>The engine is chosen from the model file itself, never left to DJL's default. Nothing here
 * downloads: a network URL is refused unless the caller allows it explicitly.
 */
package dev.fusion4j.encoders;
