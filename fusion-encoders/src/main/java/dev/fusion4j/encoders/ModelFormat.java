package dev.fusion4j.encoders;

/**
 * The serialised model formats fusion4j runs, each with the DJL engine that runs it. The format is
 * normally detected from the file's content (a TorchScript archive is a ZIP file; an ONNX file is a
 * protocol buffer); naming it explicitly makes a mismatch an error instead of a guess.
 */
public enum ModelFormat {
    /** ONNX, run by ONNX Runtime (DJL engine "OnnxRuntime"). */
    ONNX("OnnxRuntime", ".onnx"),
    /** TorchScript, run by libtorch (DJL engine "PyTorch"). */
    TORCHSCRIPT("PyTorch", ".pt");

    private final String engine;
    private final String extension;

    ModelFormat(String engine, String extension) {
        this.engine = engine;
        this.extension = extension;
    }

    /** The DJL engine name. */
    public String engine() {
        return engine;
    }

    /** The usual file extension, with the dot. */
    public String extension() {
        return extension;
    }
}
