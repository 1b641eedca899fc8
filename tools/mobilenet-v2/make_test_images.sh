#!/usr/bin/env bash
# Regenerates the small real test images in fusion-encoders/src/test/resources/images/ from Debian packages.
# needs: apt-get install darknet python3-skimage imagemagick
# Longer side <= 320 px, each file kept around 60 KB or less (the photographic PNGs and giraffe.jpg are
# therefore smaller than 320 px). Only the files listed here are written; nothing else in the folder is touched.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/../../fusion-encoders/src/test/resources/images"
D=/usr/share/darknet/data
S=/usr/lib/python3/dist-packages/skimage/data
# ImageMagick 6 itself (not any convert wrapper earlier on PATH)
IM=/usr/bin/convert-im6.q16
[[ -x $IM ]] || IM=convert
PNG=(-define png:exclude-chunks=date,time -define png:compression-level=9)
mkdir -p "$OUT"
cd "$OUT"

# real photos (JPEG quality 90 for the darknet JPEGs, PNG for the scikit-image ones)
for n in dog eagle horses person; do
  $IM "$D/$n.jpg" -resize '320x320>' -strip -quality 90 "$n.jpg"
done
$IM "$D/giraffe.jpg" -resize '256x256>' -strip -quality 90 giraffe.jpg
$IM "$S/chelsea.png" -resize '224x224>' -strip "${PNG[@]}" chelsea.png
$IM "$S/coffee.png"  -resize '224x224>' -strip "${PNG[@]}" coffee.png
$IM "$S/rocket.jpg"  -resize '256x256>' -strip "${PNG[@]}" rocket.png

# format edge cases
$IM "$S/coffee.png" -resize '320x320>' -strip -colorspace CMYK -quality 90 cmyk.jpg
$IM "$S/rocket.jpg" -resize '224x224>' -strip -colorspace Gray -depth 16 "${PNG[@]}" gray16.png
# RGBA: the cat, fully transparent outside a centred ellipse, a half-transparent band near the bottom
$IM "$S/chelsea.png" -resize '200x200>' -strip -alpha set \
  \( +clone -alpha extract -fill black -colorize 100 -fill white -draw 'ellipse 100,66 90,60 0,360' \
     -fill gray50 -draw 'rectangle 0,120 199,132' \) \
  -alpha off -compose CopyOpacity -composite -define png:color-type=6 "${PNG[@]}" alpha.png
# 2-frame animated GIF: dog then eagle, 160x120, 0.5 s per frame, looping
$IM \( "$D/dog.jpg" -resize '160x120!' \) \( "$D/eagle.jpg" -resize '160x120!' \) -strip -set delay 50 -loop 0 anim.gif
# 24-bit uncompressed BMP (v3 header) of the dog, 160x120 to stay under 60 KB
$IM "$D/dog.jpg" -resize '160x120>' -strip -type TrueColor BMP3:image.bmp

identify dog.jpg eagle.jpg giraffe.jpg horses.jpg person.jpg chelsea.png coffee.png rocket.png \
  cmyk.jpg gray16.png alpha.png anim.gif image.bmp
