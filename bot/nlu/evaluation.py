"""Evaluate the trained model's NLU on the held-out test set (never trained on).

    python -m bot.nlu.evaluation --model models/lans.tar.gz --out reports/nlu-heldout.md

Reports intent accuracy, macro F1, the most frequent confusion pairs, crisis recall and
false alarms, and symptom/trigger extraction, through the whole pipeline (including the
fallback and the crisis detector), exactly as the running assistant would classify.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import structlog
from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import accuracy_score, f1_score

HELDOUT = Path("tests/nlu/heldout.yml")
CRISIS = "crisis"
LEXICON_ENTITIES = ("symptom", "trigger")


@dataclass
class Example:
    text: str
    intent: str
    entities: set[tuple[str, str]]


@dataclass
class Prediction:
    example: Example
    intent: str
    confidence: float
    entities: set[tuple[str, str]]


@dataclass
class Report:
    predictions: list[Prediction] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return accuracy_score(self._true, self._pred)

    @property
    def macro_f1(self) -> float:
        return f1_score(self._true, self._pred, average="macro", zero_division=0)

    @property
    def _true(self) -> list[str]:
        return [p.example.intent for p in self.predictions]

    @property
    def _pred(self) -> list[str]:
        return [p.intent for p in self.predictions]

    @property
    def errors(self) -> list[Prediction]:
        return [p for p in self.predictions if p.intent != p.example.intent]

    def confusion_pairs(self, top: int = 10) -> list[tuple[tuple[str, str], int]]:
        return Counter((p.example.intent, p.intent) for p in self.errors).most_common(top)

    @property
    def crisis_missed(self) -> list[Prediction]:
        return [p for p in self.predictions if p.example.intent == CRISIS and p.intent != CRISIS]

    @property
    def crisis_false_alarms(self) -> list[Prediction]:
        return [p for p in self.predictions if p.example.intent != CRISIS and p.intent == CRISIS]

    @property
    def crisis_recall(self) -> float:
        total = sum(p.example.intent == CRISIS for p in self.predictions)
        return 1.0 - len(self.crisis_missed) / total if total else 1.0

    def entity_scores(self) -> tuple[float, float]:
        """Precision and recall of (entity, value) pairs for symptom and trigger."""
        tp = fp = fn = 0
        for p in self.predictions:
            gold = {e for e in p.example.entities if e[0] in LEXICON_ENTITIES}
            found = {e for e in p.entities if e[0] in LEXICON_ENTITIES}
            tp += len(gold & found)
            fp += len(found - gold)
            fn += len(gold - found)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        return precision, recall


def load_examples(path: Path = HELDOUT) -> list[Example]:
    data = load_data(str(path))
    return [
        Example(
            text=m.get("text"),
            intent=m.get("intent"),
            entities={(e["entity"], str(e["value"])) for e in m.get("entities") or []},
        )
        for m in data.intent_examples
    ]


def quiet_rasa_logging() -> None:
    """Rasa's debug log repeats every message text; keep users' words out of any log."""
    logging.getLogger("rasa").setLevel(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


async def evaluate(model: Path, examples: list[Example]) -> Report:
    quiet_rasa_logging()
    agent = Agent.load(str(model))
    report = Report()
    for example in examples:
        parsed = await agent.parse_message(example.text)
        report.predictions.append(
            Prediction(
                example=example,
                intent=parsed["intent"]["name"],
                confidence=parsed["intent"].get("confidence") or 0.0,
                entities={(e["entity"], str(e["value"])) for e in parsed.get("entities", [])},
            )
        )
    return report


def to_markdown(report: Report, data: Path = HELDOUT) -> str:
    precision, recall = report.entity_scores()
    intents = sorted({p.example.intent for p in report.predictions})
    lines = [
        "# Held-out NLU report",
        "",
        f"Messages: {len(report.predictions)} over {len(intents)} intents "
        f"({data}, never trained on).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| intent accuracy | {report.accuracy:.3f} |",
        f"| macro F1 | {report.macro_f1:.3f} |",
        f"| crisis recall | {report.crisis_recall:.3f} |",
        f"| crisis false alarms | {len(report.crisis_false_alarms)} |",
        f"| symptom/trigger precision | {precision:.3f} |",
        f"| symptom/trigger recall | {recall:.3f} |",
        "",
        "## Confusion pairs (expected -> predicted)",
        "",
    ]
    lines += [f"- {a} -> {b}: {n}" for (a, b), n in report.confusion_pairs()] or ["- none"]
    lines += ["", "## Misclassified messages", ""]
    lines += [
        f"- `{p.example.text}`: {p.example.intent} -> {p.intent} ({p.confidence:.2f})"
        for p in report.errors
    ] or ["- none"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=Path("models/lans.tar.gz"))
    parser.add_argument("--data", type=Path, default=HELDOUT)
    parser.add_argument("--out", type=Path, default=Path("reports/nlu-heldout.md"))
    parser.add_argument("--json", type=Path, help="also write the headline figures as JSON")
    args = parser.parse_args()
    report = asyncio.run(evaluate(args.model, load_examples(args.data)))
    markdown = to_markdown(report, args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown)
    if args.json:
        figures = {
            "accuracy": report.accuracy,
            "macro_f1": report.macro_f1,
            "crisis_recall": report.crisis_recall,
            "crisis_false_alarms": len(report.crisis_false_alarms),
        }
        args.json.write_text(json.dumps(figures, indent=2))
    print(markdown)


if __name__ == "__main__":
    main()
