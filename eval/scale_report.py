"""The scale bench's results as the Markdown table and notes of eval/README.md, *Scale*."""

from __future__ import annotations

from typing import Any

HEADER = (
    "| chunks | mode | ingest s (of which embedding s) | load s | answer p50 ms | p95 ms "
    "| needle recall@1 | @5 | @10 | app RSS MB | server RSS MB | index on disk MB |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def row_line(row: dict[str, Any]) -> str:
    embed_s = row["ingest_s"] - row["ingest_without_embedding_s"]
    return (
        f"| {row['chunks']:,} | {row['mode']} | {row['ingest_s']} ({embed_s:.1f}) "
        f"| {row['index_load_s']} | {row['p50_ms']} | {row['p95_ms']} | {row['recall@1']} "
        f"| {row['recall@5']} "
        f"| {row['recall@10']} | {row['app_rss_mb']} | {row.get('server_rss_mb', '–')} "
        f"| {row['disk_mb']} |"
    )


def format_scale(result: dict[str, Any]) -> str:
    sample = result["sample"]
    rate = sample["real_chunks_per_s"]
    options = result["options"]
    lines = [HEADER, *(row_line(r) for r in result["rows"])]
    lines.append("")
    lines.append(
        f"{options['needles']} needles ({options['needle_vectors']} vectors), "
        f"{options['rounds']} rounds, seed {options['seed']}, querying with "
        f"OMP_NUM_THREADS={options['query_threads'] or 'unset'}."
    )
    lines.append(
        f"Real model: {sample['sentences']} corpus sentences in {sample['sentences_s']} s; "
        f"{rate} chunks/s on {sample['chunks']} synthetic chunks; cosine(mean of sentence "
        f"vectors, real chunk vector) mean {sample['cosine_mean']}, min {sample['cosine_min']}."
    )
    for row in result["rows"]:
        hours = row["chunks"] / rate / 3600
        lines.append(
            f"{row['chunks']:,} chunks, {row['mode']}: {row['embedded_real']} embedded for real, "
            f"{row['approximated']} approximated (real embedding of all ≈ {hours:.1f} h); "
            f"{row['queries']} queries; needle found by dense {row['found_by_dense']}, "
            f"by BM25 {row['found_by_bm25']}; dense search returned it for "
            f"{row['dense_returned']}, missed it though nearer than its last result for "
            f"{row['dense_nearer_but_missed']}; a definition question right after loading "
            f"(waits for the folded copy of all texts) {row['first_definition_s']} s, the "
            f"definition needles ({row['definition_questions']} answers, each question new "
            f"once) at most {row['definition_max_ms']} ms; "
            f"load average {row['loadavg']}; "
            f"ingest peak RSS {row['ingest_peak_rss_mb']} MB, query peak RSS "
            f"{row['app_peak_rss_mb']} MB."
        )
    return "\n".join(lines)


ANN_HEADER = (
    "| chunks | M | construction_ef | search_ef | recall@k vs exact | needles in exact top k "
    "| needles returned | build s | query ms |\n|---|---|---|---|---|---|---|---|---|"
)


def format_ann(rows: list[dict[str, Any]]) -> str:
    """eval/scale_ann.py's results as the Markdown table of eval/README.md, *Scale*."""
    lines = [ANN_HEADER]
    for row in rows:
        lines.append(
            f"| {row['chunks']:,} | {row['hnsw_m']} | {row['hnsw_construction_ef']} "
            f"| {row['hnsw_search_ef']} | {row['recall']} | {row['needles_exact']} "
            f"| {row['needles_found']} | {row['build_s']} | {row['query_ms']} |"
        )
    return "\n".join(lines)
