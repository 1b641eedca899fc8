#!/usr/bin/env node
// Reads nsfwjs's bundled TF.js *layers* model (dist/models/mobilenet_v2/model.min.js,
// a CommonJS module exporting {modelTopology, weightsManifest}) and its weight shard
// (group1-shard1of1.min.js, a CommonJS module exporting the shard as a base64 string)
// and writes
//   <out>/topology.json  the Keras model_config (layer graph)
//   <out>/manifest.json  [{name, shape, dtype:"float32", offset, length}] (offset/length in floats)
//   <out>/weights.bin    all tensors as little-endian float32, concatenated
//
// The weights are uint8-quantised in the source (affine: value = q * scale + min).
// They are dequantised here with exactly the formula TF.js uses when it loads the model
// (tfjs-core io_utils decodeWeight: Float32Array[i] = q * scale + min), so the float32
// values written here are bit-identical to what TF.js itself runs with.
//
// usage: node dump_weights.js <nsfwjs package dir> <out dir>
'use strict';
const fs = require('fs');
const path = require('path');

const [pkgDir, outDir] = process.argv.slice(2);
if (!pkgDir || !outDir) {
  console.error('usage: node dump_weights.js <nsfwjs package dir> <out dir>');
  process.exit(2);
}
const modelDir = path.resolve(pkgDir, 'dist/models/mobilenet_v2');
const modelJsonMod = require(path.join(modelDir, 'model.min.js'));
const modelJson = modelJsonMod.default || modelJsonMod;
if (modelJson.format && modelJson.format !== 'layers-model') {
  throw new Error('expected a TF.js layers model, got format ' + modelJson.format);
}
const topo = modelJson.modelTopology;
if (!topo || !topo.model_config) throw new Error('no Keras model_config in model.json');

// Concatenate all shards of all weight groups in manifest order (as TF.js does).
const specs = [];
const buffers = [];
for (const group of modelJson.weightsManifest) {
  for (const p of group.paths) {
    const shardMod = require(path.join(modelDir, p + '.min.js'));
    const b64 = typeof shardMod === 'string' ? shardMod : shardMod.default;
    if (typeof b64 !== 'string') throw new Error('shard ' + p + ' is not a base64 string module');
    buffers.push(Buffer.from(b64, 'base64'));
  }
  specs.push(...group.weights);
}
const data = Buffer.concat(buffers);

const BYTES = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };
let srcOffset = 0;
let dstOffset = 0;
const manifest = [];
const chunks = [];
for (const spec of specs) {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  let values;
  const q = spec.quantization;
  if (q) {
    if (spec.dtype !== 'float32') throw new Error('unsupported quantised dtype ' + spec.dtype);
    const nbytes = n * BYTES[q.dtype];
    const slice = data.subarray(srcOffset, srcOffset + nbytes);
    let quant;
    if (q.dtype === 'uint8') quant = new Uint8Array(slice.buffer.slice(slice.byteOffset, slice.byteOffset + nbytes));
    else if (q.dtype === 'uint16') quant = new Uint16Array(slice.buffer.slice(slice.byteOffset, slice.byteOffset + nbytes));
    else throw new Error('unsupported quantisation ' + q.dtype);
    values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = quant[i] * q.scale + q.min; // same as tfjs-core
    srcOffset += nbytes;
  } else {
    if (spec.dtype !== 'float32') throw new Error('unsupported dtype ' + spec.dtype);
    const nbytes = n * 4;
    values = new Float32Array(data.buffer.slice(data.byteOffset + srcOffset, data.byteOffset + srcOffset + nbytes));
    srcOffset += nbytes;
  }
  manifest.push({ name: spec.name, shape: spec.shape, dtype: 'float32', offset: dstOffset, length: n,
                  quantization: q || null });
  chunks.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  dstOffset += n;
}
if (srcOffset !== data.length) {
  throw new Error(`weight data size mismatch: consumed ${srcOffset} of ${data.length} bytes`);
}
if (new Uint8Array(new Float32Array([1]).buffer)[3] !== 0x3f) throw new Error('big-endian host not supported');

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'weights.bin'), Buffer.concat(chunks));
fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 1));
fs.writeFileSync(path.join(outDir, 'topology.json'), JSON.stringify({
  keras_version: topo.keras_version, backend: topo.backend, model_config: topo.model_config,
}, null, 1));
console.log(`dumped ${manifest.length} tensors, ${dstOffset} floats (${data.length} source bytes) to ${outDir}`);
