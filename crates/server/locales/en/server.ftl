# Server-originated text in English (SPEC §10.31). Every id here is also in ../ar/server.ftl,
# with the same arguments (the message-coverage test checks both, and every id the code uses).
# A numeric argument $n comes with $n-plural, its CLDR plural category.

## The general sentence of each error code (used when a refusal has no message of its own)

error-bad-request = The request is malformed.
error-unauthorized = Sign in first.
error-forbidden = You may not do this.
error-not-found = Not found.
error-conflict = The request conflicts with the current state.
error-gone = This is gone for good.
error-validation-failed = The request is not valid.
error-too-many-requests = Too many attempts; try again later.
error-unavailable = the database is unavailable
error-payload-too-large = The request is too large.
error-over-budget = This could not be done in time; try again later.
error-method-not-allowed = This method is not allowed here.
error-unsupported-media-type = This kind of content is not accepted here.
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
conflict-checklist-draft-exists = version { $version } of '{ $key }' exists as a draft; replace it with PUT /api/v1/checklists/{ $key }/versions/{ $version }
conflict-checklist-same-content = version { $version } of '{ $key }' is already published with this content
conflict-checklist-different-content = version { $version } of '{ $key }' is published with different content; published versions are immutable, so save the change as a new version
