# Server-originated text in English (SPEC §10.31). Every id here is also in ../ar/server.ftl,
# with the same arguments (the message-coverage test checks both, and every id the code uses).
# A numeric argument $n comes with $n-plural, its CLDR plural category.

## Faults on our side (their causes are logged, never shown)

error-unavailable = the database is unavailable
error-internal = internal error

## Errors of every endpoint

not-found = { $what ->
    [checklist-version] checklist version
   *[other] { $what }
} not found
too-many-requests = too many attempts; try again in { $seconds } s
method-not-allowed = method not allowed; this path takes { $allow }
conflict-exists = already exists
conflict-referenced = still referenced
bad-parameter = { $path }: { $problem }
bad-json = { $problem }
body-too-large = JSON payload ({ $length } bytes) is larger than allowed (limit: { $limit } bytes).
body-over-limit = the body is larger than the limit of { $limit } bytes
expected-json-content-type = expected Content-Type: application/json
texts-too-long = { $count } text(s) longer than { $max } characters
text-too-long = too long: at most { $max } characters, this has { $chars }
shopper-already-barred = the shopper is already barred from this branch
not-an-attachment-of-assignment = '{ $reference }' is not an attachment uploaded for this assignment
account-gone = this account no longer exists
expected-json-object = a JSON object is expected
language-unknown = must be "ar" or "en"
field-unknown = unknown field
changes-not-valid = the changes are not valid
action-not-valid = the action is not valid
assignment-not-valid = the assignment cannot be made
bar-not-valid = the bar is not valid
branch-not-valid = the branch is not valid
campaign-not-valid = the campaign is not valid
dispute-not-valid = the dispute is not valid
password-not-valid = the password is not valid
region-not-valid = the region is not valid
resolution-not-valid = the resolution is not valid
team-not-valid = the team is not valid
user-not-valid = the user is not valid
unknown-items = unknown items
unknown-shoppers = unknown shoppers
role-may-not = the { $role } role may not do this
sign-in-required = sign in: Authorization: Bearer <token>
bearer-expected = expected Authorization: Bearer <token>
token-expired = the access token has expired; refresh it
token-invalid = invalid access token
account-disabled = this account is disabled
login-failed = wrong email or password
refresh-invalid = the refresh token is not valid; sign in again
refresh-replayed = the refresh token was already used; every session of that sign-in was ended
webhook-not-valid = the webhook is not valid
email-notifications-boolean = must be true or false

## E-mail notifications (SPEC §10.37), in the recipient's saved language
mail-assignment-offered-subject = New assignment: { $branch }
mail-assignment-offered-body =
    You have a new mystery-shopping assignment at { $branch }.
    Visit window: { $start } to { $end }.

    Open sirr to accept it and see the scenario.
mail-visit-returned-subject = Your visit to { $branch } was returned
mail-visit-returned-body =
    Quality assurance returned your visit to { $branch } for changes.

    Their note: { $note }

    Open sirr to correct the visit and submit it again.
mail-dispute-filed-subject = New dispute: { $branch }
mail-dispute-filed-body =
    A manager disputed the item "{ $item }" of a visit to { $branch }.

    Open sirr's dispute list to uphold or overturn it.
mail-dispute-resolved-subject = Your dispute on { $branch } was decided
mail-dispute-resolved-body =
    Your dispute on the item "{ $item }" of a visit to { $branch } was decided: { $outcome }.

    Open sirr to read the reason.
mail-outcome-upheld = upheld (the original result stands)
mail-outcome-overturned = overturned (the item no longer counts against the branch)
mail-review-backlog-subject = { $waiting ->
    [one] 1 visit waits for review
   *[other] { $waiting } visits wait for review
}
mail-review-backlog-body =
    { $waiting ->
        [one] 1 submitted visit is
       *[other] { $waiting } submitted visits are
    } waiting for review; { $overdue ->
        [one] 1 of them has
       *[other] { $overdue } of them have
    } waited more than { $hours } hours, the oldest since { $oldest }.

    Open sirr's review queue to approve or return them: shoppers and branch reports wait for you.
mail-report-ready-subject = The reports for { $month } are ready
mail-report-ready-body =
    The visits of { $month } are scored: your branches' fair scores, trend, failed items and the PDF coaching reports are in sirr.

    Open sirr to read them and plan the coaching sessions.

## Imports (problems by sheet, row and column; SPEC §10.38, §10.47)

import-missing-column = no sheet has this column
import-unknown-column = unknown column; the columns are { $known }
import-required = must not be empty
import-invalid-code = letters, digits, '.', '_' and '-' only, starting with a letter or digit
import-duplicate = repeats row { $row }
import-conflicting = differs from row { $row } for the same e-mail
import-name-missing = a new branch needs name_en or name_ar
import-too-long = too long: at most { $max } characters
import-not-a-number = not a number
import-out-of-range = must be between { $min } and { $max }
import-half-a-location = give both lat and lon, or neither
import-invalid-team-key = team key '{ $key }': letters, digits, '.', '_' and '-' only, keys separated by ';'
import-invalid-email = not an e-mail address
import-unknown-role = must be admin, qa, manager or shopper
import-unknown-scope-kind = must be region, branch, team or empty
import-scope-pair-incomplete = give scope_kind and scope_code together, or neither
import-no-such-scope-target = no such region, branch or team (a team is written BRANCH-CODE/team_key)
import-scope-for-non-manager = only managers have scopes
import-unknown-language = must be ar, en or empty
import-own-role = you cannot change your own role by import
import-last-admin = no active admin would remain
import-refused = { $count } problems in the file; nothing was imported

## Import templates (the instruction sheet)

template-sheet-instructions = Instructions
template-column = Column
template-meaning = What to write
template-example = Example
template-intro = Fill in the sheet "{ $sheet }", one row per { $what ->
    [branches] branch; rows are matched to existing branches by code
   *[users] user and scope; rows are matched to existing users by e-mail
}. Keep the header row as it is. Upload the file on the Import screen: a check shows what would change before anything is saved.
template-branches-code = Branch code (letters, digits, '.', '_', '-'); required.
template-branches-name_en = Name in English.
template-branches-name_ar = Name in Arabic. A new branch needs at least one of the two names.
template-branches-region_code = Region code; a new code creates the region.
template-branches-lat = Latitude, −90 to 90 (with lon, or leave both empty).
template-branches-lon = Longitude, −180 to 180.
template-branches-teams = Team keys separated by ';' (tellers;service).
template-users-email = E-mail address, the sign-in name; required.
template-users-name = Display name.
template-users-role = admin, qa, manager or shopper.
template-users-scope_kind = For managers: region, branch or team; empty for none.
template-users-scope_code = The region or branch code, or BRANCH-CODE/team_key for a team. Repeat the e-mail on another row for another scope.
template-users-language = ar, en or empty.

## Accounts and the organisation's fields

password-current-wrong = the current password is wrong
password-too-short = must be at least { $min } characters
password-too-long = must be at most { $max } characters
password-unchanged = the new password must differ from the current one
field-required = must not be empty
field-too-long = must be at most { $max } characters
field-control-characters = must not contain control characters
email-invalid = not an email address
names-missing = give the name in at least one language
language-tag-invalid = not a language tag (en, ar, fr-CA, …)
code-invalid = letters, digits, '.', '_' and '-' only, starting with a letter or digit
latitude-range = must be between −90 and 90
longitude-range = must be between −180 and 180
no-such-region = no such region
no-such-branch = no such branch
no-such-scope = no such { $kind ->
    [region] region
    [branch] branch
   *[team] team
}
scopes-managers-only = only managers have scopes; a { $role } sees by role
## Plausibility flags (QA's review): why, with the numbers, and what to check

distance-m = { $n } m
distance-km = { $n } km
span-minutes = { $n } min
span-hours = { $n } h
span-days = { $n } days
flag-no-location = The check-in has no location, so presence at the branch cannot be confirmed — ask the shopper why the location was off.
flag-far-from-branch = Checked in { $distance } from the branch (more than { $limit }) — check the shopper was at this branch.
flag-too-short = The visit took { $taken } s; { $items } answered { $items-plural ->
    [one] item needs
   *[other] items need
} at least { $needed } s ({ $base } s + { $per } s per item) — check the answers were observed, not guessed.
flag-before-window = Checked in { $span } before the assigned window opened ({ $opened }) — check the visit was made for this assignment.
flag-after-window = Checked in { $span } after the assigned window closed ({ $closed }) — check the visit was made for this assignment.
flag-photo-before-check-in = The photo for «{ $item }» was taken { $span } before check-in — check it was taken at this visit.
flag-photo-after-visit = The photo for «{ $item }» was taken { $span } after the visit ended — check it was taken at this visit.
flag-photo-place = The photo for «{ $item }» was taken { $distance } from the branch — check it was taken at this visit.
flag-late-submission = The answers were submitted { $span } after check-in (more than { $limit } h) — check the details are plausible after so long.

## Problems with a visit's answers (422 details at /answers/<key>)

visit-does-not-fit = the visit does not fit checklist version ({ $count } { $count-plural ->
    [one] problem
   *[other] problems
})
answer-unknown-item = no item with this key in the checklist
answer-evidence-unknown-item = evidence for an item that is not in the checklist
answer-evidence-not-references = evidence must be a list of attachment references (non-empty strings)
answer-hidden = answered, but the item is hidden (show_if: { $condition })
answer-required = required, but not answered
answer-photo-required = a photo is required with this answer
answer-photo-required-on-fail = a photo is required when this item fails
answer-na-not-allowed = "na" is not allowed for this item
answer-not-yes-no = expected "yes" or "no", found { $found }
answer-outside-scale = { $value } is outside the scale { $min }..{ $max }
answer-not-scale = expected a whole number from { $min } to { $max }, found { $found }
answer-not-an-option = expected one of the options ({ $options }), found { $found }
answer-not-option-list = expected a list of options ({ $options }), found { $found }
answer-option-twice = option "{ $option }" is selected twice
answer-not-number = expected a number, found { $found }
answer-not-seconds = expected a number of seconds, found { $found }
answer-negative-duration = a duration cannot be negative, found { $value }
answer-below-minimum = { $value } is below the minimum { $min }
answer-above-maximum = { $value } is above the maximum { $max }
answer-above-bands = { $value } is above the last band and there is no catch-all band
answer-not-text = expected text, found { $found }
answer-not-timestamp = expected an RFC 3339 date-time such as "2026-10-03T14:12:00+03:00", found { $found }
answer-not-references = expected a list of attachment references, found { $found }
answer-note = a note is display only and takes no answer

## Conflicts (409): what the state is and what to do instead

conflict-assignment-state = the assignment is { $status }; it cannot be { $to } now
conflict-visit-recorded = a visit is already recorded for this assignment
conflict-answers-closed = the assignment is { $status }; its answers can no longer change
conflict-key-reused = this Idempotency-Key was used for a different submission; use a new key for new answers
conflict-submitted-once = the assignment is already { $status }; a visit is submitted once (retry with the same Idempotency-Key to get its answer)
conflict-submitted-meanwhile = the assignment was submitted or withdrawn meanwhile; retry with the same Idempotency-Key to get its answer
conflict-region-has-branches = the region still has { $count } { $count-plural ->
    [one] branch
   *[other] branches
}; move or delete them first
conflict-email-taken = a user with email { $email } exists
conflict-own-admin = you may not deactivate your own account or give up your own admin role; another admin can
conflict-last-admin = this is the last active admin; the organisation would have no admin
conflict-dispute-overturned = a dispute on '{ $item }' of this visit was overturned already; the item counts as N/A
conflict-dispute-open = a dispute on '{ $item }' of this visit is open; wait for QA's decision
conflict-dispute-resolved = the dispute is { $status }; only an open dispute can be resolved
conflict-dispute-resolved-meanwhile = the dispute was resolved meanwhile
conflict-attachments-closed = the assignment is { $status }; attachments can no longer be added
conflict-review-state = the visit is { $status }; only a submitted visit can be reviewed
conflict-checklist-immutable = version { $version } of '{ $key }' is published and published versions are immutable; save the change as a new version
checklist-changed-meanwhile = the draft of version { $version } of '{ $key }' was saved by someone else after you opened it; open it again to see their changes
conflict-checklist-draft-exists = version { $version } of '{ $key }' exists as a draft; replace it with PUT /api/v1/checklists/{ $key }/versions/{ $version }
conflict-checklist-same-content = version { $version } of '{ $key }' is already published with this content
conflict-checklist-different-content = version { $version } of '{ $key }' is published with different content; published versions are immutable, so save the change as a new version

## Problems with a checklist document (422 details and warnings at a JSON pointer). Must say
## exactly what the checklist crate's English sentences say (a test compares every kind).

checklist-not-valid = the checklist is not valid ({ $count } { $count-plural ->
    [one] problem
   *[other] problems
})
checklist-version-too-large = must be at most 2147483647
checklist-version-in-url = a version is a whole number ≥ 1, found '{ $found }'
checklist-key-mismatch = must be the URL's key '{ $key }', found '{ $found }'
checklist-version-mismatch = must be the URL's version { $version }, found { $found }
checklist-version-exists = version { $version } of '{ $key }' exists
checklist-wrong-type = expected { $expected }, found { $found }
json-null = null
json-bool = true/false
json-number = a number
json-string = a string
json-list = a list
json-object = an object
checklist-expected-object = { $part } (an object)
checklist-part-checklist = a checklist
checklist-part-section = a section
checklist-part-item = an item
checklist-part-evidence = an evidence rule such as { $example }
checklist-part-option = an option
checklist-part-band = a band such as { $example }
checklist-expected-string = a string
checklist-expected-bool = true or false
checklist-expected-number = a number
checklist-expected-whole-number = a whole number
checklist-expected-text-per-language = text per language (an object such as { $example })
checklist-expected-critical-rule = "zero" or { $example }
checklist-expected-photo-rule = "required" or "on_fail"
checklist-list-language-tags = a list of language tags
checklist-list-sections = a list of sections
checklist-list-items = a list of items
checklist-list-strings = a list of strings
checklist-list-options = a list of options
checklist-list-bands = a list of bands
checklist-unknown-field = unknown field '{ $field }'
checklist-unknown-field-suggestion = unknown field '{ $field }' (did you mean '{ $suggestion }'?)
checklist-missing-field = missing required field '{ $field }'
checklist-empty = must not be empty
checklist-empty-languages = list at least one language, e.g. { $example }
checklist-empty-sections = a checklist needs at least one section
checklist-empty-items = a section needs at least one item
checklist-empty-strings = list at least one entry
checklist-empty-options = a choice item needs at least one option
checklist-empty-bands = give at least one band, or leave 'bands' out for an unscored item
checklist-invalid-key = { $found } is not a valid key: it must start with a lower-case letter or digit and contain only a-z, 0-9, '_' and '-'
checklist-invalid-language-tag = { $found } is not a BCP-47 language tag (for example en, ar, ar-SA)
checklist-text-without-languages = give text per language, e.g. { $example }
checklist-language-twice = language '{ $lang }' is listed twice
checklist-invalid-version = version must be a whole number ≥ 1, found { $found }
checklist-weight-not-positive = weight must be greater than 0, found { $found }
checklist-weight-not-positive-number = weight must be a number greater than 0
checklist-field-not-for-type = '{ $field }' does not apply to a { $item_type } item
checklist-unknown-item-type = unknown item type '{ $found }' (types: { $types })
checklist-option-without-key = option without a key
checklist-condition-syntax = at column { $column }: { $problem } in `{ $condition }`
checklist-condition-in = in `{ $context }`: { $problem }
checklist-no-title-checklist = the checklist has no title in any language
checklist-no-title-section = the section has no title in any language
checklist-no-text-item = the item has no text in any language, so a shopper would see nothing
checklist-cap-out-of-range = the cap must be at least 0 and below 1, found { $found }
checklist-duplicate-key = duplicate { $of ->
    [section] section
    [item] item
   *[option] option
} key '{ $key }' (first used at { $first })
checklist-missing-translation = no '{ $lang }' text, although the checklist declares '{ $lang }'
checklist-undeclared-language = text in '{ $lang }', which is not among the checklist's languages
checklist-scale-bounds = a scale needs min < max, found min { $min } and max { $max }
checklist-score-out-of-range = { $of ->
    [option] an option's
   *[band] a band's
} score must be between 0 and 1, found { $found }
checklist-note-flag = a note is never answered, so it cannot be { $flag }
checklist-note-weight = a note is not scored, so its weight has no effect
checklist-critical-never-scored = a critical item must be able to fail, but this { $item_type } item is never scored
checklist-critical-cannot-fail = a critical item must be able to fail, but no answer scores 0 (give an option or band the score 0)
checklist-evidence-not-for-type = a { $item_type } item cannot require photo evidence
checklist-on-fail-cannot-fail = "on_fail" needs an item that can score 0; use "required" or give a failing answer a score of 0
checklist-owner-spaces = the owner must not start or end with spaces
checklist-min-not-below-max = min ({ $min }) must be below max ({ $max })
checklist-negative-duration = a duration is never negative
checklist-band-without-max = only the last band may leave out 'max' (it catches every larger value)
checklist-bands-overlap = bands overlap: two bands end at { $max }
checklist-bands-unsorted = bands must be sorted by ascending 'max', but { $max } follows { $previous }
checklist-band-below-min = this band ends below the item's min, so no answer falls in it
checklist-band-gap = gap: answers from { $last } up to the item's max ({ $max }) fall in no band; add a catch-all band
checklist-nothing-scored = no item in this checklist is scored, so every visit will score N/A

## The show_if condition language: syntax and type errors

condition-single-equals = '=' is not an operator here: compare with '=='
condition-bang = '!' is not an operator: negate with 'not', compare with '!='
condition-double-quote = strings are written in single quotes: 'like this'
condition-unclosed-string = this string is never closed with a "'"
condition-bad-escape = only \' and \\ may follow a backslash
condition-unusable-number = { $word } is not a usable number
condition-upper-case-key = '{ $word }' is not a valid item key: keys are lower case
condition-not-number-nor-key = '{ $word }' is neither a number nor a valid item key
condition-unexpected-char = unexpected character '{ $found }'
condition-expected = expected { $want }, found { $found }
condition-too-many-operators = more than { $max } 'and'/'or' in one condition
condition-too-deep = nested more than { $max } levels deep
condition-empty = the condition is empty
condition-trailing = unexpected { $found } after a complete condition
condition-want-close-paren = ')'
condition-want-open-paren = '(' after { $after }
condition-want-comma-before-option = ',' between the item key and the option
condition-want-open-bracket = '[' to start the list
condition-want-comma-or-close-bracket = ',' or ']'
condition-want-item-key = an item key
condition-want-quoted-option = an option in quotes
condition-want-operand = an item key or a value
condition-want-value = a value ('text', number, true or false)
condition-want-in-after-not = 'in' after 'not'
condition-want-comparison = a comparison (==, !=, <, <=, >, >=) or 'in' after { $after }
condition-token-string = string { $text }
condition-token-number = number { $number }
condition-token-end = the end of the condition
condition-reserved-word = '{ $key }' is a reserved word and cannot name an item in a condition
condition-unknown-item = unknown item '{ $key }'
condition-self-reference = the item cannot depend on its own answer ('{ $key }')
condition-later-item = '{ $key }' comes later in the checklist: conditions may only use earlier answers
condition-multi-choice-compared = '{ $key }' is a multi_choice item; test it with selected({ $key }, 'option')
condition-photo-compared = '{ $key }' is a photo item; test it with answered({ $key })
condition-note-never-answered = '{ $key }' is a note and is never answered
condition-type-mismatch = '{ $key }' holds { $holds }, but { $literal } is { $is }
condition-not-an-answer = { $literal } is not an answer of '{ $key }' (answers: { $answers })
condition-not-an-option = '{ $option }' is not an option of '{ $key }' (options: { $options })
condition-selected-needs-choice = selected() needs a choice or multi_choice item, but '{ $key }' is { $item_type }
condition-constant-comparison = compares two constants, which is always true or always false
condition-items-differ = '{ $left }' holds { $left_holds } but '{ $right }' holds { $right_holds }
condition-in-needs-item = the left side of 'in' must be an item key
condition-ordering-not-number = '{ $op }' compares numbers, not { $ty }
value-type-text = text
value-type-number = a number
value-type-bool = true/false
xlsform-refused = { $count } { $count-plural ->
    [one] problem
   *[other] problems
} in the workbook; it was not converted
file-too-large = the file is larger than the limit of { $limit } bytes
body-unreadable = the body could not be read: { $problem }

## Requests refused field by field (422 and 400 details), and what bulk assignment left open

action-plan-team-scope-reads = a team scope reads its branch's action plan; only a branch or region scope changes it
date-invalid = must be a date YYYY-MM-DD
no-item-in-published-checklists = no item with this key in any published checklist
no-section-in-published-checklists = no section with this key in any published checklist
period-invalid = { $problem }
period-label-expected = must be a period label: YYYY-MM, YYYY-Qn or ISO week YYYY-Www
item-or-section-key = give item_key or section_key, not both
one-of = one of { $values }
no-active-shopper-with-id = no active shopper with this id
no-branch-with-id = no branch with this id
no-team-in-branch = no team with this id in the branch
window-end-after-start = must be after window_start
no-campaign-with-id = no campaign with this id
rotation-not-valid = revisit_days out of range
say-why = say why
status-unknown = unknown status '{ $status }'; one of { $values }
name-length = 1 to { $max } characters
ends-before-starts = must not be before starts_on
between = between { $min } and { $max }
branches-none = name at least one branch
code-characters = letters, digits, '.', '_' and '-' only
scenario-duplicate = repeats scenario { $first }; each scenario needs its own key
scenarios-too-many = at most { $max } scenarios
brief-language = a brief is written in en (English) or ar (Arabic)
brief-both-languages = write the brief in both Arabic and English: the shopper reads it in their language
reassign-same-shopper = the assignment is already this shopper's; choose another shopper
duration-range = must be between 0 and 86400 seconds
draft-does-not-fit = the draft does not fit the checklist
idempotency-key-missing = send a header Idempotency-Key (one per submission; retries reuse it)
at-most-characters = at most { $max } characters
assignment-cancelled = the assignment was cancelled; no visit can be submitted for it
webhook-events-none = name at least one event type
webhook-events-too-many = at most { $max } event types
webhook-event-unknown = unknown event type; one of { $values }
region-code-exists = a region with code '{ $code }' exists
branch-code-exists = a branch with code '{ $code }' exists
team-code-exists = the branch already has a team with code '{ $code }'
token-name-missing = the token needs a name
disputes-not-for-shoppers = the shopper role may not see disputes
dispute-team-scope-own-team = a team scope files disputes on its own team's visits only
dispute-no-such-item = no item with this key in the visit's checklist version
dispute-item-unanswered = the visit has no answer to this item (it was hidden or left out)
dispute-item-na = the visit answered this item N/A; it does not count in scores
attachment-no-such-item = no item '{ $item }' in checklist { $key } version { $version }
attachment-item-is-note = item '{ $item }' is a note and takes no attachments
attachment-note-item = a note item takes no attachments
attachments-per-assignment-full = the assignment already holds { $held } attachments, the most allowed (storage.max_attachments_per_assignment)
time-with-offset-expected = expected an RFC 3339 time with offset (2026-10-03T14:12:00+03:00)
lat-lon-together = give lat and lon together
upload-parameters-not-valid = the upload parameters are not valid
media-unsupported = { $problem }
media-malformed = { $problem }
attachment-no-photos = item '{ $item }' takes no photos (only photo items and items with a photo evidence rule do); a { $kind } image was sent
review-say-what-to-fix = say what to fix
review-note-or-comment = give a note or at least one item comment
review-reason-for-shopper = give the reason the shopper will read
export-language-unknown = '{ $lang }' is not a language of exports: en or ar
query-invalid = { $problem }
odata-option-invalid = { $problem }
path-invalid = { $problem }
token-unknown-or-revoked = the access token is unknown or revoked, or not this user's
basic-malformed = malformed HTTP Basic credentials
basic-needs-token = HTTP Basic takes your e-mail and a personal access token (sirr_pat_…), not a password
credentials-expected = expected Authorization: Bearer <token>, or HTTP Basic with a personal access token
utf8-required = must be UTF-8 text
nul-character = must not contain NUL characters (U+0000)
audit-cursor-invalid = neither an audit entry id nor an RFC 3339 time
report-over-budget = the report could not be made within { $ms } ms; try again later
checklist-version-draft = checklist { $key } version { $version } is a draft; publish it first
checklist-not-published = not published
checklist-version-missing = there is no checklist { $key } version { $version }
checklist-no-such-version = no such checklist version
time-rfc3339-required = must be an RFC 3339 time with an offset (2026-10-03T14:12:00+03:00)
rotation-barred = the shopper is barred from this branch (conflict of interest: { $reason })
rotation-too-soon = the shopper already has a visit to this branch on { $date } (rotation: at least { $days } days apart)
url-spaces = must not contain spaces
url-invalid = not a URL
url-scheme = must start with http:// or https://
url-host = must name a host
secret-not-base64 = a secret written whsec_… must be base64 after the prefix
secret-length = the key must be { $min } to { $max } bytes (whsec_ secrets count decoded bytes)
no-active-shoppers = no active shoppers
no-eligible-shopper = no eligible shopper: { $reasons }
checklist-unreadable = { $problem }
period-invalid-expected = { $problem }; expected YYYY-MM, YYYY-Qn or YYYY-Www (ISO week)
lang-parameter-unknown = unknown language { $quoted }; expected en or ar
review-no-such-item = no item with this key in the visit's checklist
export-format-unsupported = { $dataset } are not exported as { $format }
export-format-unsupported-here = { $dataset } are not exported as { $format } here
export-scores-filter = scores are computed over every approved visit: filter them by period, region_id or branch_id
export-filter-not-here = { $dataset } are not filtered by this: use period, region_id or branch_id{ $dataset ->
    [disputes] {" "}(or checklist)
   *[other] {""}
}
import-unreadable = { $problem }

## Problems of an XLSForm workbook, by sheet, row and column. Must say exactly what the checklist
## crate's English sentences say (a test compares every kind).

xlsform-unreadable-file = not a readable spreadsheet (.xlsx, .xls or .ods): { $cause }
xlsform-unreadable-sheet = cannot read sheet '{ $sheet }': { $cause }
xlsform-no-survey-sheet = the workbook has no 'survey' sheet (sheets: { $sheets })
xlsform-form-title = form title: { $problem }
xlsform-no-key = no form_id in settings, and the file name gives no key: { $problem }
xlsform-language-unknown = cannot tell which language '{ $label }' is: write it as { $form }, e.g. { $example }
xlsform-language-code = language '{ $label }': { $problem }
xlsform-missing-survey-columns = the survey sheet needs 'type' and 'name' columns
xlsform-missing-questions = the survey has no questions a checklist can use
xlsform-missing-type = this row has no type
xlsform-missing-name = this question has no name
xlsform-missing-label = this question has no label
xlsform-missing-note-text = this note has no label text (images alone cannot be shown)
xlsform-missing-list-name = a choice without a list_name
xlsform-missing-choice-name = a choice in list '{ $list }' has no name (the option key)
xlsform-missing-list = the choices sheet has no list '{ $list }'
xlsform-missing-begin-group = 'end group' without a matching 'begin group'
xlsform-missing-bands = no bands given: write max:score pairs, e.g. { $example }
xlsform-not-number = '{ $found }' is not a number
xlsform-not-number-in = '{ $found }' in '{ $part }' is not a number
xlsform-not-score-in = '{ $found }' in '{ $part }' is not a score
xlsform-not-score = '{ $found }' is not a score between 0 and 1
xlsform-not-yes-no = '{ $found }' is not yes or no
xlsform-not-evidence-rule = '{ $found }' is not an evidence rule: write required or on_fail
xlsform-not-critical-rule = '{ $found }' is not a critical rule: write zero or cap 0.5
xlsform-not-version = version '{ $found }' is not a whole number from 1 to 4294967295, so the checklist gets version 1
xlsform-not-band = '{ $found }' is not a band: write max:score, e.g. { $example }
xlsform-not-name-value = '{ $found }' is not name=value
xlsform-type-unknown = unknown question type '{ $found }'
xlsform-type-no-place = '{ $found }' has no place in a checklist (sirr has sections of single questions, no repeats, loops, locations, audio, video or files)
xlsform-type-repeat = '{ $found }' is refused: a checklist has no place for repeats or loops (each question is asked once per visit)
xlsform-type-select-without-list = '{ $found }' is not supported: choices must come from the choices sheet ({ $one } or { $multiple })
xlsform-type-metadata = '{ $found }' is device metadata, not a question: skipped
xlsform-type-computed = '{ $found }' computes a value and asks nothing: skipped
xlsform-type-becomes-text = '{ $found }' becomes a text item
xlsform-bad-item-name = '{ $name }' cannot be an item key: it must start with a letter or digit and contain only letters, digits, '_', '-' and '.'
xlsform-bad-section-name = '{ $name }' cannot be a section key: it must start with a letter or digit and contain only letters, digits, '_', '-' and '.'
xlsform-group-no-label = the group '{ $name }' has no label; its name is used as the section title
xlsform-group-nested = the nested group '{ $name }' is merged into the enclosing section (sections do not nest)
xlsform-group-never-closed = the group '{ $name }' is never closed with 'end group'
xlsform-group-empty = the group '{ $name }' holds no question a checklist can use
xlsform-choice-merged = '{ $name }' repeats an earlier choice of list '{ $list }' (row { $row }); the two are merged
xlsform-choice-differs = '{ $name }' is already a choice of list '{ $list }' (row { $row }) with another label or score
xlsform-key-reused = '{ $name }' gives the key '{ $key }', which row { $row } already uses
xlsform-conditional-required = a conditional 'required' ({ $value }) is not supported; the question is optional
xlsform-constraint-not-imported = constraints are not imported; answers are checked by type, range and options only
xlsform-choice-filter-not-imported = choice filters are not imported; every option of the list is offered
xlsform-calculation-not-imported = calculations are not imported
xlsform-fractional-range = a range that is not whole steps of 1 becomes a number item
xlsform-column-ignored = the column '{ $column }' means nothing to a checklist and is ignored
xlsform-relevant = cannot translate `{ $expression }`: at character { $position }: { $problem }

## Why a `relevant` expression cannot be translated (inside xlsform-relevant)

relevant-unclosed-reference = '{ $open }' is never closed with '{ $close }'
relevant-unclosed-string = this string is never closed
relevant-not-a-number = '{ $found }' is not a number
relevant-current-question = '.' (the current question) has no meaning in a relevant condition here
relevant-unsupported-character = '{ $found }' is not supported (arithmetic and paths are not part of a checklist condition)
relevant-expected-close-paren = expected ')'
relevant-expected-open-paren = expected '(' after { $word } (only functions are allowed here)
relevant-expected-selected-comma = expected ',' in { $form }
relevant-not-before = { $reference } is not a question before this one
relevant-needs-reference = { $function }() needs a { $example } reference here
relevant-selected-needs-option = selected() needs an option in quotes
relevant-selected-needs-select = selected() needs a select question, but { $reference } is not one
relevant-unknown-function = the function { $function }() is not supported in a checklist condition
relevant-ends-early = the expression ends too early
relevant-unexpected = unexpected { $found }
relevant-unexpected-after = unexpected { $found } after a complete condition
relevant-constant-alone = a constant on its own is not a condition
relevant-only-emptiness = only emptiness tests (> 0, = 0) are supported on string-length() and count-selected()
relevant-only-equality-with-empty = only = and != can compare with ''
relevant-number-versus-text = { $reference } is a number, but '{ $found }' is not
relevant-only-selected = { $reference } can only be tested with selected() or against ''
relevant-not-comparable = { $left } and { $right } cannot be compared
relevant-unsupported-comparison = this comparison is not supported: compare a { $example } with a value
relevant-always-false = false() would hide the question for ever

## Password links: a reset asked for by e-mail, the invitation of a new account

reset-needs-mail = password reset by e-mail is not available: this server sends no e-mail (smtp.host is not set). Ask an administrator to set a new password for you.
invite-needs-mail = invitations by e-mail are not available: this server sends no e-mail (smtp.host is not set). Give a password instead, or leave it out to have one generated.
invite-with-password = give a password or invite by e-mail, not both
invitation-inactive = this account is deactivated; reactivate it before sending its invitation again
invitation-not-pending = this user has set a password already, so there is no invitation to send again; use "Reset password" instead
link-not-valid = the link cannot be used
link-unknown = this link is not valid; ask for a new one with "Forgot your password?" on the sign-in screen
link-used = this link was used already; ask for a new one with "Forgot your password?" on the sign-in screen
link-expired = this link has expired; ask for a new one with "Forgot your password?" on the sign-in screen
link-account-inactive = this account is deactivated; ask an administrator
mail-reset-subject = Reset your sirr password
mail-reset-body =
    Someone, probably you, asked to reset the password of your sirr account { $email }.

    Open this link to choose a new password. It works once, until { $until } UTC:

    { $url }

    If you did not ask, ignore this letter: your password stays as it is.
mail-invitation-subject = Your sirr account
mail-invitation-body =
    An account in sirr was made for you: { $email }.

    Open this link to choose your password. It works once, until { $until } UTC:

    { $url }

    Later, "Forgot your password?" on the sign-in screen sends a new link.
