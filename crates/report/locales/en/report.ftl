# The PDF coaching report's wording, in English (SPEC §8, §10.31). Every id here is also in
# ../ar/report.ftl with the same variables (a unit test checks).
#
# Variables arrive formatted by the report: percentages (`$rate`, `$low`, `$high`, `$level`),
# changes in points (`$points`) and periods are text; a count `$n` is a number and comes with
# `$n-plural`, its CLDR plural category (see ../en/server.ftl). Fluent's own isolation marks
# are off for the report (report/i18n.rs says why).

## Page frame

report-title = Coaching report
report-subtitle = Mystery shopping results for the coaching session
report-document-title = Coaching report — { $name } ({ $code })
report-footer = Shopper identities are never shown in this report.
report-page = Page { $page } of { $pages }

## Header

report-organisation = Organisation
report-branch = Branch
report-team = Team
report-region = Region
report-period = Period
report-month = { $month ->
    [m1] January
    [m2] February
    [m3] March
    [m4] April
    [m5] May
    [m6] June
    [m7] July
    [m8] August
    [m9] September
    [m10] October
    [m11] November
   *[m12] December
} { $year }
report-language = Language
report-language-name = English
report-visits = Visits
report-all-visits = All approved visits

## Key figures

report-fair-score = Fair score
report-raw-score = Raw score
report-interval = { $level } interval: { $low }–{ $high }
report-change-since = Change since { $period }
report-was = was { $score }
report-points = { $points } points
report-no-previous = No earlier period to compare
report-rank = Rank among branches
report-rank-of = { $rank } of { $of }
report-region-rank = in the region: { $rank } of { $of }
report-no-visits = No approved visits in this period.

## Charts

report-trend-title = Fair score over the last periods
report-sections-title = Sections against the averages
report-this-branch = This branch
report-this-team = This team
report-region-average = Region average
report-branch-average = Branch average
report-organisation-average = Organisation average

## Items

report-went-well = What went well
report-strongest = Strongest items
report-appreciated = What shoppers appreciated
report-no-positive = No positive comments were recorded this period.
report-gaps = Failed and weak items
report-weak-items = Other failing and weak items
report-no-gaps = No item is failing or weak this period.
report-no-gaps-but-critical = Too few answers this period to call an item weak — but critical items failed: see “Critical-item failures”.
report-pass-rate-of = pass rate { $rate } of { $answers-plural ->
    [one] { $answers } answer
   *[other] { $answers } answers
}
report-owner-line = owner: { $owner }
report-comments = Shoppers' comments:
report-shown-of = { $shown } of { $total } shown; all in the web app
report-none = None.

## Issues

report-issues-title = Systemic and branch-specific issues
report-systemic = Systemic issues (for the owning function)
report-systemic-note = These items fail across many branches: they call for a fix in policy, training or systems by the function that owns them, not for blame on one branch.
report-failing-branches = failing in { $failing } of { $branches-plural ->
    [one] { $branches } branch
   *[other] { $branches } branches
}
report-this-branch-rate = This branch: { $rate }
report-this-team-rate = This team: { $rate }
report-branch-specific = Specific to this branch
report-critical-title = Critical-item failures
report-critical-line = failed in { $failed } of { $visits-plural ->
    [one] { $visits } visit
   *[other] { $visits } visits
}
report-no-critical = No critical item failed this period.

## Method

report-method-title = How these scores are made
report-method = Each visit is scored against the checklist: every item scores from 0 to 1, sections and the visit are weighted averages of their items, and a failed critical item zeroes or caps the visit. The raw score is the mean of the visits. Shoppers differ in strictness, scenarios and visiting times differ in difficulty, and a branch with few visits can land high or low by luck. The fair score corrects for all three: it estimates the score this branch would get from an average shopper under average conditions, and pulls thin evidence toward the average by the right amount. The { $level } interval shows how sure the estimate is; it narrows as visits accumulate. Ranks are by fair score, 1 = best. Items disputed and overturned by QA do not count.

## Action plan

report-actions-title = Action plan
report-actions-note = Existing actions with their status; the empty rows are for this session.
report-col-topic = Topic
report-col-action = Action
report-col-owner = Owner
report-col-due = Due
report-col-status = Status
report-general = General
report-status-open = Open
report-status-in-progress = In progress
report-status-done = Done

## The functions that own checklist items (a checklist's `owner`). The vocabulary is open: an
## owner without a message here is shown as written. The web app has the same list
## (web/js/i18n.js, `owner_*`; a unit test compares them).

owner-operations = Operations
owner-training = Training
owner-facilities = Facilities
owner-it = IT
owner-product = Product
owner-policy = Policy
owner-compliance = Compliance
owner-marketing = Marketing
owner-hr = Human resources
owner-security = Security
