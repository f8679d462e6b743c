"""Officers report their unit's figures; the office compiles them.

periods: half-years and years · values: a typed figure read the Vietnamese way · indicators: the figures a
plan sets and their rules (target text, met or not) · submissions: reported figures as history · drafts: a
guided report in progress, in the database · guided: /baocao and /sua, step by step or in one line · progress:
/tiendo, /tonghop, /chuanop · charts: the /tiendo and /tonghop charts · pictures: those charts drawn in the
helper process · export: the Excel and CSV files of a period · workbook: the Excel file's sheets · matrix: the
web page's standings table (units × indicators) and a unit's history of figures and corrections.
"""
