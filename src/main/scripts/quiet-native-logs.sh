#!/usr/bin/env bash
# Runs a command with TensorFlow's two native start-up lines removed from its stderr.
# TF_CPP_MIN_LOG_LEVEL=2 silences TensorFlow's own INFO logs, but these two come from absl
# logging before absl is initialized, which no environment variable controls. Every other
# line, and the command's exit status, pass through unchanged.
set -o pipefail
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
"$@" 2> >(grep --line-buffered -v -E \
  -e '^WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR$' \
  -e '^I0000 [0-9:. ]+ [0-9]+ mlir_graph_optimization_pass\.cc:[0-9]+\] MLIR V1 optimization pass is not enabled$' \
  >&2)
status=$?
wait
exit $status
