/**
 * The fusion4j API: immutable values ({@link dev.fusion4j.api.Embedding}, {@link dev.fusion4j.api.Modality},
 * {@link dev.fusion4j.api.ImageInput}, {@link dev.fusion4j.api.MultimodalInput},
 * {@link dev.fusion4j.api.ModalityEmbeddings}, {@link dev.fusion4j.api.TrainingExample}), the contracts
 * that encoders, fusion strategies and embedders implement, and the {@link dev.fusion4j.api.FusionException}
 * family.
 *
 * <p>This package depends on nothing but the JDK, like {@code slf4j-api}: applications and other
 * modules meet here and only here. Encoders (fusion-encoders) never see a fusion strategy, and
 * fusion strategies (fusion-core) never see an encoder implementation.
 */
package dev.fusion4j.api;
