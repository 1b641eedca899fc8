#!/usr/bin/env node
// Parity check: ONNX (onnxruntime-node) vs the original TF.js layers model (pure-JS @tensorflow/tfjs,
// CPU backend) on real images, plus a semantic sanity check (cosine-similarity matrix).
//
// usage: NODE_PATH=work/node_modules node parity.js <nsfwjs package dir> <weights dir> <model.onnx> <out.json> <image>...
//
// 1. The TF.js model is loaded from the very files the converter read (nsfwjs dist/models/mobilenet_v2)
//    and cut at the layer feeding nsfwjs's classifier head ('flatten_1' = AveragePooling2D(7x7) + Flatten,
//    1280-d). Its float32 weights are compared to the converter's dump (weights.bin): must be bit-identical.
// 2. Every image is decoded in JS (jpeg-js / pngjs), converted to RGB, scaled to [0,1] (x / 255) and resized
//    to 224x224 with tf.image.resizeBilinear(alignCorners = true) -- exactly what nsfwjs does in infer().
//    The SAME float32 tensor goes into TF.js (NHWC) and into the ONNX model (transposed to NCHW), so the
//    comparison isolates the network.
// 3. End-to-end: nsfwjs.load('MobileNetV2') + nsfwjs.infer(rawImage, 'flatten_1') -- nsfwjs's own
//    preprocessing -- vs ONNX on our preprocessing.
// 4. Batch check (all images in one ONNX call, dynamic batch axis) and the PyTorch reference output.
// 5. Cosine-similarity matrix of the ONNX features, for [0,1] input (nsfwjs's normalisation) and, for
//    comparison, for [-1,1] input (Keras MobileNetV2's ImageNet normalisation).
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const ort = require('onnxruntime-node');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');

const [pkgDir, weightsDir, onnxPath, outJson, ...images] = process.argv.slice(2);
const FEATURE_LAYER = 'flatten_1';
const SIZE = 224;

function decode(file) {
  const buf = fs.readFileSync(file);
  let w, h, rgba;
  if (/\.png$/i.test(file)) {
    const png = PNG.sync.read(buf); // always RGBA8 out
    w = png.width; h = png.height; rgba = png.data;
  } else {
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    w = img.width; h = img.height; rgba = img.data;
  }
  const rgb = new Int32Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    rgb[3 * i] = rgba[4 * i]; rgb[3 * i + 1] = rgba[4 * i + 1]; rgb[3 * i + 2] = rgba[4 * i + 2];
  }
  return { w, h, tensor: tf.tensor3d(rgb, [h, w, 3], 'int32') };
}

// nsfwjs core.js infer(): img.toFloat().div(255) then resizeBilinear(alignCorners = true)
function preprocess01(imgTensor) {
  return tf.tidy(() => {
    const n = imgTensor.toFloat().div(tf.scalar(255));
    const r = (imgTensor.shape[0] !== SIZE || imgTensor.shape[1] !== SIZE)
      ? tf.image.resizeBilinear(n, [SIZE, SIZE], true) : n;
    return r.reshape([1, SIZE, SIZE, 3]);
  });
}

function nhwcToNchw(t) { return tf.tidy(() => t.transpose([0, 3, 1, 2])); }

function stats(a, b) {
  let maxAbs = 0, dot = 0, na = 0, nb = 0, maxRef = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > maxAbs) maxAbs = d;
    if (Math.abs(a[i]) > maxRef) maxRef = Math.abs(a[i]);
    dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i];
  }
  return { maxAbsDiff: maxAbs, cosine: dot / Math.sqrt(na * nb), maxAbsRef: maxRef };
}

function cosMatrix(feats) {
  const n = feats.length;
  const norms = feats.map(f => Math.sqrt(f.reduce((s, v) => s + v * v, 0)));
  const m = [];
  for (let i = 0; i < n; i++) {
    m.push([]);
    for (let j = 0; j < n; j++) {
      let d = 0; for (let k = 0; k < feats[i].length; k++) d += feats[i][k] * feats[j][k];
      m[i].push(d / (norms[i] * norms[j]));
    }
  }
  return m;
}

function printMatrix(title, names, m) {
  const short = names.map(n => n.slice(0, 8));
  console.log('\n' + title);
  console.log(''.padEnd(10) + short.map(s => s.padStart(9)).join(''));
  for (let i = 0; i < names.length; i++) {
    console.log(short[i].padEnd(10) + m[i].map(v => v.toFixed(3).padStart(9)).join(''));
  }
}

const ANIMALS = new Set(['dog', 'eagle', 'giraffe', 'horses', 'chelsea']);
function groupScore(names, m) {
  // mean cosine animal-animal vs animal-other; and per animal: is its nearest neighbour an animal?
  let aa = 0, naa = 0, ao = 0, nao = 0;
  const nn = {};
  for (let i = 0; i < names.length; i++) {
    let best = -2, bestJ = -1;
    for (let j = 0; j < names.length; j++) {
      if (i === j) continue;
      if (m[i][j] > best) { best = m[i][j]; bestJ = j; }
      if (j > i) {
        const ai = ANIMALS.has(names[i]), aj = ANIMALS.has(names[j]);
        if (ai && aj) { aa += m[i][j]; naa++; } else if (ai !== aj) { ao += m[i][j]; nao++; }
      }
    }
    nn[names[i]] = names[bestJ];
  }
  return { meanAnimalAnimal: aa / naa, meanAnimalOther: ao / nao, nearestNeighbour: nn };
}

async function loadTfModel() {
  const j = require(path.resolve(pkgDir, 'dist/models/mobilenet_v2/model.min.js'));
  const mj = j.default || j;
  const specs = [], bufs = [];
  for (const g of mj.weightsManifest) {
    for (const p of g.paths) {
      const s = require(path.resolve(pkgDir, 'dist/models/mobilenet_v2', p + '.min.js'));
      bufs.push(Buffer.from(typeof s === 'string' ? s : s.default, 'base64'));
    }
    specs.push(...g.weights);
  }
  const all = Buffer.concat(bufs);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const model = await tf.loadLayersModel({
    load: async () => ({ modelTopology: mj.modelTopology, weightSpecs: specs, weightData }),
  });
  const feat = tf.model({ inputs: model.inputs, outputs: model.getLayer(FEATURE_LAYER).output });
  return { model, feat };
}

function checkWeights(model) {
  const manifest = JSON.parse(fs.readFileSync(path.join(weightsDir, 'manifest.json'), 'utf8'));
  const bin = fs.readFileSync(path.join(weightsDir, 'weights.bin'));
  const flat = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  const byName = new Map(manifest.map(m => [m.name, m]));
  let checked = 0, mismatched = 0;
  for (const w of model.weights) {
    // tfjs layer weight names may carry a numeric suffix for uniqueness; manifest names are the originals
    const name = w.originalName || w.name;
    const m = byName.get(name);
    if (!m) throw new Error('weight ' + name + ' not in dump');
    const v = w.read().dataSync();
    const d = flat.subarray(m.offset, m.offset + m.length);
    for (let i = 0; i < v.length; i++) if (v[i] !== d[i]) { mismatched++; break; }
    checked++;
  }
  return { checked, mismatched, dumped: manifest.length };
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  const t0 = Date.now();
  const { model, feat } = await loadTfModel();
  const weightCheck = checkWeights(model);
  console.log(`TF.js ${tf.version.tfjs} (backend ${tf.getBackend()}), onnxruntime-node ${ort.env.versions.node}`);
  console.log(`weights: ${weightCheck.checked} TF.js tensors checked against dump, ${weightCheck.mismatched} mismatched`);
  if (weightCheck.mismatched) throw new Error('dumped weights differ from TF.js weights');

  const sess = await ort.InferenceSession.create(onnxPath, { graphOptimizationLevel: 'all', intraOpNumThreads: 2 });
  console.log('ONNX inputs', sess.inputNames, 'outputs', sess.outputNames);
  const runOnnx = async (nchw) => {
    const out = await sess.run({ input: new ort.Tensor('float32', nchw.dataSync(), nchw.shape) });
    return out.features;
  };

  // PyTorch reference (input + output written by build_onnx.py)
  const ri = fs.readFileSync(path.join(weightsDir, 'torch_ref_in.f32'));
  const refIn = tf.tensor4d(new Float32Array(ri.buffer.slice(ri.byteOffset, ri.byteOffset + ri.byteLength)), [1, 3, SIZE, SIZE]);
  const refOnnx = (await runOnnx(refIn)).data;
  const rb = fs.readFileSync(path.join(weightsDir, 'torch_ref_out.f32'));
  const torchRef = new Float32Array(rb.buffer.slice(rb.byteOffset, rb.byteOffset + rb.byteLength));
  const torchVsOnnx = stats(torchRef, refOnnx);
  console.log(`PyTorch vs ONNX (random input): maxAbsDiff ${torchVsOnnx.maxAbsDiff.toExponential(3)} (max |feature| ${torchVsOnnx.maxAbsRef.toFixed(2)}) cos ${torchVsOnnx.cosine.toFixed(8)}`);

  const tfOnRef = feat.predict(tf.tidy(() => refIn.transpose([0, 2, 3, 1]))).dataSync();
  const tfVsOnnxRand = stats(tfOnRef, refOnnx), tfVsTorchRand = stats(tfOnRef, torchRef);
  console.log(`TF.js vs ONNX (random input): maxAbsDiff ${tfVsOnnxRand.maxAbsDiff.toExponential(3)}; TF.js vs PyTorch: ${tfVsTorchRand.maxAbsDiff.toExponential(3)}`);

  let nsfw = null;
  try {
    const nsfwjs = require('nsfwjs');
    nsfw = await nsfwjs.load('MobileNetV2', { size: SIZE });
  } catch (e) { console.log('nsfwjs end-to-end check skipped: ' + e.message); }

  const names = [], perImage = [], feats01 = [], featsPm1 = [], batch = [];
  for (const file of images) {
    const name = path.basename(file).replace(/\.[^.]+$/, '');
    const { w, h, tensor } = decode(file);
    const x = preprocess01(tensor);                          // [1,224,224,3] in [0,1]
    const tfOut = feat.predict(x).dataSync();
    const nchw = nhwcToNchw(x);
    const onnxOut = (await runOnnx(nchw)).data;
    const s = stats(tfOut, onnxOut);
    const rec = { image: name, file, width: w, height: h, tfjsVsOnnx: s };
    if (nsfw) {
      const e2e = nsfw.infer(tensor, FEATURE_LAYER);
      rec.nsfwjsEndToEndVsOnnx = stats(e2e.dataSync(), onnxOut);
      e2e.dispose();
      const cls = await nsfw.classify(tensor, 1);
      rec.nsfwjsTopClass = `${cls[0].className} ${cls[0].probability.toFixed(3)}`;
    }
    const flipped = tf.tidy(() => nchw.reverse(3));       // horizontal mirror
    rec.flipCosine = stats(onnxOut, (await runOnnx(flipped)).data).cosine;
    flipped.dispose();
    const pm1 = tf.tidy(() => nchw.mul(2).sub(1));
    featsPm1.push(Array.from((await runOnnx(pm1)).data));
    pm1.dispose();
    names.push(name); perImage.push(rec); feats01.push(Array.from(onnxOut)); batch.push(nchw);
    console.log(`${name.padEnd(10)} ${String(w + 'x' + h).padEnd(10)} TF.js vs ONNX: maxAbsDiff ${s.maxAbsDiff.toExponential(3)}`
      + ` (max |feature| ${s.maxAbsRef.toFixed(2)}) cos ${s.cosine.toFixed(8)}`
      + (rec.nsfwjsEndToEndVsOnnx ? ` | nsfwjs e2e maxAbsDiff ${rec.nsfwjsEndToEndVsOnnx.maxAbsDiff.toExponential(3)}` : '')
      + (rec.nsfwjsTopClass ? ` | nsfwjs: ${rec.nsfwjsTopClass}` : '')
      + ` | cos(img, mirrored img) ${rec.flipCosine.toFixed(3)}`);
    tensor.dispose(); x.dispose();
  }

  // one batched ONNX call
  const all = tf.concat(batch, 0);
  const bOut = (await runOnnx(all)).data;
  let batchMax = 0;
  for (let i = 0; i < names.length; i++) {
    for (let k = 0; k < 1280; k++) batchMax = Math.max(batchMax, Math.abs(bOut[i * 1280 + k] - feats01[i][k]));
  }
  console.log(`batched ONNX (N=${names.length}) vs single: maxAbsDiff ${batchMax.toExponential(3)}`);

  const m01 = cosMatrix(feats01), mPm1 = cosMatrix(featsPm1);
  printMatrix('cosine similarity, ONNX features, input x/255 in [0,1] (nsfwjs normalisation):', names, m01);
  const g01 = groupScore(names, m01);
  console.log('animals=' + [...ANIMALS].join(',') + ': mean cos animal-animal ' + g01.meanAnimalAnimal.toFixed(3)
    + ', animal-other ' + g01.meanAnimalOther.toFixed(3) + '; nearest neighbours ' + JSON.stringify(g01.nearestNeighbour));
  printMatrix('cosine similarity, ONNX features, input 2*x/255-1 in [-1,1] (Keras MobileNetV2 ImageNet normalisation), for comparison:', names, mPm1);
  const gPm1 = groupScore(names, mPm1);
  console.log('mean cos animal-animal ' + gPm1.meanAnimalAnimal.toFixed(3) + ', animal-other ' + gPm1.meanAnimalOther.toFixed(3)
    + '; nearest neighbours ' + JSON.stringify(gPm1.nearestNeighbour));

  const worst = {
    maxAbsDiff: Math.max(...perImage.map(r => r.tfjsVsOnnx.maxAbsDiff)),
    minCosine: Math.min(...perImage.map(r => r.tfjsVsOnnx.cosine)),
  };
  if (nsfw) {
    worst.e2eMaxAbsDiff = Math.max(...perImage.map(r => r.nsfwjsEndToEndVsOnnx.maxAbsDiff));
    worst.e2eMinCosine = Math.min(...perImage.map(r => r.nsfwjsEndToEndVsOnnx.cosine));
  }
  console.log('\nWORST over images: ' + JSON.stringify(worst));
  const result = {
    date: new Date().toISOString(), node: process.version, tfjs: tf.version.tfjs, tfjsBackend: tf.getBackend(),
    onnxruntimeNode: ort.env.versions.node, onnx: path.basename(onnxPath), weightCheck, torchVsOnnx, tfVsOnnxRand, tfVsTorchRand,
    perImage, worst, batchedVsSingleMaxAbsDiff: batchMax, names,
    cosine01: m01, cosine01Groups: g01, cosinePm1: mPm1, cosinePm1Groups: gPm1,
    seconds: (Date.now() - t0) / 1000,
  };
  fs.writeFileSync(outJson, JSON.stringify(result, null, 1));
  const ok = worst.minCosine > 0.99999 && weightCheck.mismatched === 0;
  console.log(ok ? 'PARITY OK' : 'PARITY FAILED');
  process.exit(ok ? 0 : 1);
}

main().catch(e => { console.error(e); process.exit(1); });
