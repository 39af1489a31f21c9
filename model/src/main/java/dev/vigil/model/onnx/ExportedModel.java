package dev.vigil.model.onnx;

import java.nio.file.Path;

/**
 * The serving graphs as written by {@link ServingGraphs#export}.
 *
 * @param fp32 the fp32 graph
 * @param int8 the int8 graph (the one served)
 * @param baseModelHash SHA-256 (hex) of the int8 graph file: the base an adapter is bound to
 */
public record ExportedModel(Path fp32, Path int8, String baseModelHash) {}
