"""The clean plan texts: faithful to the originals, structured as the format README says."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

from knowledge.documents import load_plans, plan_files, split_front_matter

NUMBER = re.compile(r"(?<![\w])\d+(?:[.,/]\d+)*%?")
PLAN_IDS = ["huyen-bu-gia-map", "so-ldtbxh-ninh-thuan", "so-xd-binh-phuoc", "so-xd-kien-giang", "xa-cat-ne"]
ORIGINAL = {"so-xd-kien-giang": "so-xd-kien-giang.ocr.txt"}


def test_every_plan_has_a_clean_file():
    assert [p.id for p in load_plans()] == PLAN_IDS


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_every_number_and_date_of_the_original_is_kept(plan_id, shared_plans):
    original = (shared_plans / ORIGINAL.get(plan_id, f"{plan_id}.txt")).read_text(encoding="utf-8")
    clean = next(p for p in plan_files() if p.stem == plan_id).read_text(encoding="utf-8")
    meta, _ = split_front_matter(clean)
    noise = set(meta.get("ocr_artifacts") or {})
    kept = Counter(NUMBER.findall(clean))
    missing = {n for n in NUMBER.findall(original) if n not in noise and not kept[n]}
    assert not missing, f"{plan_id}: numbers of the original missing from the clean text: {sorted(missing)}"


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_ocr_artifacts_are_really_in_the_original(plan_id, shared_plans):
    original = (shared_plans / ORIGINAL.get(plan_id, f"{plan_id}.txt")).read_text(encoding="utf-8")
    plan = next(p for p in load_plans() if p.id == plan_id)
    assert all(token in NUMBER.findall(original) for token in plan.ocr_artifacts)


@pytest.mark.parametrize("path", plan_files(), ids=lambda p: p.stem)
def test_clean_text_is_nfc_markdown_free_and_repaired(path):
    text = path.read_text(encoding="utf-8")
    _, body = split_front_matter(text)
    assert unicodedata.is_normalized("NFC", text)
    assert not re.search(r"^#|\*\*|__", body, re.MULTILINE)
    assert "  " not in body, "double spaces: a lost glyph left unrepaired"
    assert not re.search(r"\b(?:Sở|và) +hội\b|\bl nh\b|\bx  hội\b", body)


def test_metadata_is_complete():
    for plan in load_plans():
        assert plan.issuer and plan.level in {"sở", "huyện", "xã"} and plan.province
        assert plan.period_start <= plan.period_end == plan.valid_until.year
        assert plan.aliases


def test_known_figures_survive_cleaning():
    plans = {p.id: p.body for p in load_plans()}
    assert "60% hồ sơ công việc tại cấp xã" in plans["huyen-bu-gia-map"]
    assert "Sở Lao động-Thương binh và Xã hội" in plans["so-ldtbxh-ninh-thuan"]
    assert "Tối thiểu 10% thủ tục hành chính" in plans["so-xd-kien-giang"]
    assert "đến hết ngày 31/12/2024" in plans["xa-cat-ne"]
