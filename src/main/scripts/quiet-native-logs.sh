#!/usr/bin/env bash
# Runs a command with TensorFlow's two native start-up lines removed from its stderr.
# TF_CPP_MIN_LOG_LEVEL=2 silences TensorFlow's own INFO logs, but these two come from absl
# logging before absl is initialized, which no environment variable controls. Every other
# line passes through unchanged, and the command's exit status is this script's.
# A non-zero status is also printed as "exit code N" on stderr: `mvn exec:exec` treats the
# demo's own codes (1 failure, 2 bad options) as success (pom.xml <successCodes>) so that Maven
# adds no ExecuteException stack trace, and this line is then what shows the code.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
# stderr goes through grep, stdout straight to fd 3 (the real stdout); the pipeline ends only
# when grep has written its last line, so "exit code N" comes after everything else.
{ "$@" 2>&1 1>&3 3>&- | grep --line-buffered -v -E \
  -e '^WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR$' \
  -e '^I0000 [0-9:. ]+ [0-9]+ mlir_graph_optimization_pass\.cc:[0-9]+\] MLIR V1 optimization pass is not enabled$' \
  >&2; status=${PIPESTATUS[0]}; } 3>&1
if [ "$status" -ne 0 ]; then
  echo "exit code $status" >&2
fi
exit "$status"
