"""python -m eval predict|score|bench|compare|calibrate|sentences|typos."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bronwijzer.errors import BronwijzerError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.logsetup import configure
from bronwijzer.settings import Settings
from eval.bench import bench
from eval.calibrate import fit, observe, rates
from eval.compare import compare, format_table
from eval.metrics import format_metrics, score_files
from eval.predict import predict
from eval.scale import MODES, ScaleOptions, run_scale
from eval.scale_report import format_scale
from eval.sentences import sentence_ranks, summarise
from eval.typos import write_typos

DEFAULT_GOLD = Path(__file__).parent / "gold" / "dev.jsonl"


def run_calibration(settings: Settings, gold: Path, checks: list[Path]) -> None:
    kb = KnowledgeBase(settings)
    fitted, hit, false = fit(observe(kb, gold), settings.answer)
    print(f"fitted on {gold.name}: abstention_unanswerable={hit:.3f} false_abstention={false:.3f}")
    for name in ("min_passage_coverage", "min_typed_coverage", "min_dense_en", "min_name_share"):
        print(f"  {name} = {getattr(fitted, name)} (now {getattr(settings.answer, name)})")
    for path in checks:
        now_hit, now_false = rates(observe(kb, path), settings.answer)
        fit_hit, fit_false = rates(observe(kb, path), fitted)
        print(
            f"{path.name}: current {now_hit:.3f}/{now_false:.3f}, "
            f"fitted {fit_hit:.3f}/{fit_false:.3f} (abstention/false abstention)"
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eval")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("predict", help="beantwoord alle vragen van een goudbestand")
    p.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--sample", type=int, help="alleen een (geseede) steekproef van N vragen")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-v", "--verbose", action="store_true", help="één regel per vraag")
    s = sub.add_parser("score", help="bereken de metrieken van voorspellingen")
    s.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    s.add_argument("--pred", type=Path, required=True)
    s.add_argument("--json", action="store_true")
    add_bench_parser(sub)
    cmp = sub.add_parser("compare", help="Bronwijzer naast BM25 en de kale llama-index-pijplijn")
    cmp.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    c = sub.add_parser("calibrate", help="pas de onthoudingsdrempels aan op een aparte set")
    c.add_argument("--gold", type=Path, default=Path(__file__).parent / "gold" / "calib.jsonl")
    c.add_argument("--check", type=Path, action="append", default=[], help="ook rapporteren")
    z = sub.add_parser("sentences", help="waar staat de zin die antwoordt onder de kandidaten")
    z.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    t = sub.add_parser("typos", help="schrijf een goudbestand met tikfouten in de vragen")
    t.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--seed", type=int, default=7)
    t.add_argument("--rate", type=float, default=0.35, help="kans op een tikfout per lang woord")
    return parser


def add_bench_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser("bench", help="meet ingest- en vraagtijden")
    b.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    b.add_argument("--rounds", type=int, default=3)
    b.add_argument(
        "--scale",
        type=int,
        nargs="+",
        metavar="N",
        help="synthetische corpora van N chunks (eval/README.md, Scale) in plaats van corpus/",
    )
    b.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    b.add_argument("--needles", type=int, default=50, help="geplante feiten met een vraag")
    b.add_argument("--needle-vectors", choices=["real", "mean"], default="real")
    b.add_argument("--query-threads", type=int, default=1, help="OMP_NUM_THREADS bij vragen")
    b.add_argument("--seed", type=int, default=0)
    b.add_argument("--keep", type=Path, help="bewaar corpora en indexen in deze map")
    b.add_argument("--out", type=Path, help="schrijf de resultaten ook als JSON")


def run_command(args: argparse.Namespace) -> None:
    """Run the chosen command and print its result."""
    if args.command == "predict":
        rows = predict(
            KnowledgeBase(Settings.load()),
            args.gold,
            args.out,
            args.sample,
            args.seed,
            verbose=args.verbose,
        )
        print(f"{len(rows)} voorspellingen geschreven naar {args.out}")
    elif args.command == "score":
        metrics, _ = score_files(args.gold, args.pred)
        print(json.dumps(metrics, indent=2) if args.json else format_metrics(metrics))
    elif args.command == "compare":
        print(format_table(compare(Settings.load(), args.gold)))
    elif args.command == "calibrate":
        run_calibration(Settings.load(), args.gold, args.check)
    elif args.command == "bench" and args.scale:
        options = ScaleOptions(
            args.needles, args.rounds, args.seed, args.needle_vectors, args.query_threads
        )
        scaled = run_scale(Settings.load(), args.scale, args.modes, options, args.keep)
        print(format_scale(scaled))
        if args.out:
            args.out.write_text(json.dumps(scaled, indent=2), encoding="utf-8")
    elif args.command == "bench":
        result = bench(Settings.load(), args.gold, args.rounds)
        print(format_metrics(result))
    elif args.command == "sentences":
        print(format_metrics(summarise(sentence_ranks(KnowledgeBase(Settings.load()), args.gold))))
    elif args.command == "typos":
        changed = write_typos(args.gold, args.out, args.seed, args.rate)
        print(f"{changed} vragen met tikfouten geschreven naar {args.out}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure()
    try:
        run_command(args)
    except (BronwijzerError, ValueError, OSError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
