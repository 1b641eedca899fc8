#!/usr/bin/env bash
# Runs fusion4j JShell notebooks: ./run.sh 01   (or several: ./run.sh 01 02; none = all)
# Builds the class path from Maven, runs each notebook in jshell with prelude.jsh, and exits non-zero
# when a notebook's own checks fail or any snippet throws or does not compile.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
# Compile the modules and resolve the class path inside one reactor, so the notebooks run against this checkout's
# classes (module target/classes), never against whatever jars another build left in ~/.m2.
cp_file="$root/fusion-examples/target/notebook.classpath"
./mvnw -B -q -pl fusion-examples -am compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime -Dai.djl.offline=true
cp="$root/fusion-examples/target/classes:$(cat "$cp_file")"

notebooks=()
if [ $# -eq 0 ]; then
  for f in "$here"/[0-9][0-9]-*.jsh; do notebooks+=("$f"); done
else
  for n in "$@"; do notebooks+=("$(ls "$here"/"$n"-*.jsh)"); done
fi

status=0
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb")"
  echo "=== $name"
  log="$(mktemp)"
  set +e
  jshell --class-path "$cp" -R-Dai.djl.offline=true -R-Xmx4g \
    -R-Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -R-Dorg.slf4j.simpleLogger.log.ai.djl.onnxruntime.engine.OrtEngine=error \
    -R-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
    "$here/prelude.jsh" "$nb" < /dev/null 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  # jshell goes on after a failing snippet: a thrown exception or a compile error is a failure too.
  if grep -qE '^(\|  )?(Exception|Error:)|cannot find symbol|^\|  Error' "$log"; then
    echo "=== $name: a snippet threw or did not compile"
    rc=1
  fi
  if [ "$rc" -ne 0 ]; then
    echo "=== $name FAILED (exit $rc)"
    status=1
  else
    echo "=== $name passed"
  fi
  rm -f "$log"
done
exit $status
