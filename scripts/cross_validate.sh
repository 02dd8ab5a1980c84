#!/usr/bin/env bash
# Rasa's NLU cross-validation on the training data (3 folds), summarised in reports/nlu-crossval.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
out=results/crossval
mkdir -p results
rm -rf "$out"
.venv-engine/bin/rasa test nlu --nlu data/nlu --config config.yml --cross-validation --folds 3 \
  --out "$out" --no-plot > "$out.log" 2>&1 || { tail -40 "$out.log"; exit 1; }
.venv-engine/bin/python - "$out" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
intents = json.loads((out / "DIETClassifier_report.json").read_text()) if (out / "DIETClassifier_report.json").exists() else None
report = json.loads((out / "intent_report.json").read_text())
lines = ["# NLU cross-validation (3 folds, data/nlu)", "",
         "| measure | value |", "|---|---|",
         f"| intent accuracy | {report['accuracy']:.3f} |",
         f"| intent macro F1 | {report['macro avg']['f1-score']:.3f} |",
         f"| crisis recall | {report['crisis']['recall']:.3f} |",
         f"| crisis precision | {report['crisis']['precision']:.3f} |"]
if intents:
    for name in ("symptom", "trigger", "duration", "role", "pickup_code"):
        if name in intents:
            lines.append(f"| entity {name} F1 (DIET) | {intents[name]['f1-score']:.3f} |")
pathlib.Path("reports/nlu-crossval.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
PY
