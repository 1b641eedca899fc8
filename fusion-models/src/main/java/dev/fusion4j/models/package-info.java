/**
 * The two pretrained models fusion4j ships, ready to use offline: {@link dev.fusion4j.models.BundledModels#miniLmText()}
 * (all-MiniLM-L6-v2, 384-d sentence embeddings) and {@link dev.fusion4j.models.BundledModels#mobileNetV2Image()}
 * (MobileNetV2 1.0/224 ImageNet backbone, 1280-d pooled features). Provenance and licences are in NOTICE
 * and docs/models.md.
 */
package dev.fusion4j.models;
