# النصوص التي يكتبها الخادم، بالعربية (SPEC §10.31). كل معرّف هنا موجود أيضا في ../en/server.ftl
# بالمتغيرات نفسها. المتغير العددي $n يصحبه $n-plural: صنف الجمع في CLDR.

## الجملة العامة لكل رمز خطأ

error-bad-request = الطلب غير سليم.
error-unauthorized = سجّل الدخول أولا.
error-forbidden = لا يحق لك القيام بهذا.
error-not-found = غير موجود.
error-conflict = يتعارض الطلب مع الحالة الحالية.
error-gone = لم يعد هذا متاحا.
error-validation-failed = الطلب غير صالح.
error-too-many-requests = محاولات كثيرة؛ حاول لاحقا.
error-unavailable = قاعدة البيانات غير متاحة
error-payload-too-large = الطلب أكبر من المسموح.
error-over-budget = تعذّر إنجاز هذا في الوقت المحدد؛ حاول لاحقا.
error-method-not-allowed = هذه الطريقة غير مسموحة هنا.
error-unsupported-media-type = هذا النوع من المحتوى غير مقبول هنا.
error-internal = خطأ داخلي

## أخطاء كل النقاط

not-found = { $what ->
    [action] الإجراء
    [assignment] المهمة
    [attachment] المرفق
    [bar] المنع
    [branch] الفرع
    [campaign] الحملة
    [checklist-version] إصدار قائمة التحقق
    [dispute] الاعتراض
    [region] المنطقة
    [route] المسار
    [shopper] المتسوق
    [team] الفريق
    [user] المستخدم
    [visit] الزيارة
   *[other] السجل
} غير موجود
too-many-requests = محاولات كثيرة؛ حاول مجددا بعد { $seconds } ث
method-not-allowed = الطريقة غير مسموحة؛ هذا المسار يقبل { $allow }
conflict-exists = موجود من قبل
conflict-referenced = ما زال مستخدما في سجلات أخرى
bad-parameter = { $path }: { $problem }
bad-json = نص JSON غير صالح: { $problem }
body-too-large = حجم JSON ({ $length } بايت) أكبر من المسموح ({ $limit } بايت).
body-over-limit = الطلب أكبر من الحد المسموح ({ $limit } بايت)
expected-json-content-type = المتوقع Content-Type: application/json
texts-too-long = { $count-plural ->
    [one] نص واحد أطول
    [two] نصان أطول
    [few] { $count } نصوص أطول
   *[other] { $count } نصا أطول
} من { $max } حرف
text-too-long = أطول من المسموح: { $max } حرف على الأكثر، وهذا فيه { $chars }
shopper-already-barred = المتسوق ممنوع من هذا الفرع من قبل
not-an-attachment-of-assignment = «{ $reference }» ليس مرفقا مرفوعا لهذه المهمة
account-gone = هذا الحساب لم يعد موجودا
expected-json-object = المتوقع كائن JSON
language-unknown = يجب أن تكون "ar" أو "en"
field-unknown = حقل غير معروف
changes-not-valid = التغييرات غير صالحة
action-not-valid = الإجراء غير صالح
assignment-not-valid = تعذّر إنشاء المهمة
bar-not-valid = المنع غير صالح
branch-not-valid = الفرع غير صالح
campaign-not-valid = الحملة غير صالحة
dispute-not-valid = الاعتراض غير صالح
password-not-valid = كلمة المرور غير صالحة
region-not-valid = المنطقة غير صالحة
resolution-not-valid = القرار غير صالح
team-not-valid = الفريق غير صالح
user-not-valid = المستخدم غير صالح
unknown-items = بنود غير معروفة
unknown-shoppers = متسوقون غير معروفين
role-may-not = لا يحق لدور { $role ->
    [admin] المدير العام
    [qa] مراقبة الجودة
    [manager] المدير
    [shopper] المتسوق
   *[other] { $role }
} القيام بهذا
sign-in-required = سجّل الدخول: Authorization: Bearer <token>
bearer-expected = المتوقع Authorization: Bearer <token>
token-expired = انتهت صلاحية رمز الدخول؛ جدّده
token-invalid = رمز الدخول غير صالح
account-disabled = هذا الحساب معطّل
login-failed = البريد الإلكتروني أو كلمة المرور غير صحيحة
refresh-invalid = رمز التجديد غير صالح؛ سجّل الدخول من جديد
refresh-replayed = استُخدم رمز التجديد من قبل؛ أُنهيت كل جلسات ذلك الدخول
webhook-not-valid = الخطاف الإلكتروني (webhook) غير صالح
email-notifications-boolean = يجب أن تكون القيمة true أو false

## إشعارات البريد الإلكتروني (SPEC §10.37)، بلغة المستلم المحفوظة
mail-assignment-offered-subject = مهمة جديدة: { $branch }
mail-assignment-offered-body =
    لديك مهمة تسوق خفي جديدة في { $branch }.
    فترة الزيارة: من { $start } إلى { $end }.

    افتح سِرّ لقبولها والاطلاع على السيناريو.
mail-visit-returned-subject = أُعيدت زيارتك إلى { $branch }
mail-visit-returned-body =
    أعاد فريق ضمان الجودة زيارتك إلى { $branch } لإجراء تعديلات.

    ملاحظتهم: { $note }

    افتح سِرّ لتصحيح الزيارة وإرسالها من جديد.
mail-dispute-filed-subject = اعتراض جديد: { $branch }
mail-dispute-filed-body =
    اعترض مدير على البند «{ $item }» في زيارة إلى { $branch }.

    افتح قائمة الاعتراضات في سِرّ لتأييد النتيجة أو إلغائها.
mail-dispute-resolved-subject = صدر القرار في اعتراضك على { $branch }
mail-dispute-resolved-body =
    صدر القرار في اعتراضك على البند «{ $item }» في زيارة إلى { $branch }: { $outcome }.

    افتح سِرّ لقراءة السبب.
mail-outcome-upheld = أُيّدت النتيجة الأصلية
mail-outcome-overturned = أُلغيت النتيجة (لم يعد البند يُحتسب على الفرع)

## الاستيراد (المشكلات بالورقة والصف والعمود)

import-missing-column = لا توجد ورقة فيها هذا العمود
import-unknown-column = عمود غير معروف؛ الأعمدة هي { $known }
import-required = يجب ألا يكون فارغا
import-invalid-code = حروف وأرقام و'.' و'_' و'-' فقط، ويبدأ بحرف أو رقم
import-duplicate = يكرر الصف { $row }
import-conflicting = يخالف الصف { $row } للبريد الإلكتروني نفسه
import-name-missing = الفرع الجديد يحتاج name_en أو name_ar
import-too-long = أطول من المسموح: { $max } حرف على الأكثر
import-not-a-number = ليس رقما
import-out-of-range = يجب أن يكون بين { $min } و{ $max }
import-half-a-location = اكتب lat وlon معا أو اتركهما فارغين
import-invalid-team-key = مفتاح الفريق '{ $key }': حروف وأرقام و'.' و'_' و'-' فقط، والمفاتيح تفصل بينها ';'
import-invalid-email = ليس عنوان بريد إلكتروني
import-unknown-role = يجب أن يكون admin أو qa أو manager أو shopper
import-unknown-scope-kind = يجب أن يكون region أو branch أو team أو فارغا
import-scope-pair-incomplete = اكتب scope_kind وscope_code معا أو اتركهما فارغين
import-no-such-scope-target = لا توجد منطقة أو فرع أو فريق بهذا الرمز (الفريق يكتب رمز-الفرع/مفتاح_الفريق)
import-scope-for-non-manager = النطاقات للمديرين فقط
import-unknown-language = يجب أن يكون ar أو en أو فارغا
import-own-role = لا يمكنك تغيير دورك أنت بالاستيراد
import-last-admin = لن يبقى مسؤول نشط
import-refused = { $count-plural ->
    [one] مشكلة واحدة
    [two] مشكلتان
    [few] { $count } مشكلات
   *[other] { $count } مشكلة
} في الملف؛ لم يستورد شيء

## قوالب الاستيراد (ورقة التعليمات)

template-sheet-instructions = التعليمات
template-column = العمود
template-meaning = ماذا تكتب
template-example = مثال
template-intro = املأ الورقة "{ $sheet }"، { $what ->
    [branches] صف لكل فرع؛ تطابق الصفوف الفروع الموجودة برمزها
   *[users] صف لكل مستخدم ونطاق؛ تطابق الصفوف المستخدمين الموجودين ببريدهم الإلكتروني
}. أبق صف العناوين كما هو. ارفع الملف في شاشة الاستيراد: يعرض الفحص ما سيتغير قبل حفظ أي شيء.
template-branches-code = رمز الفرع (حروف وأرقام و'.' و'_' و'-')؛ مطلوب.
template-branches-name_en = الاسم بالإنجليزية.
template-branches-name_ar = الاسم بالعربية. الفرع الجديد يحتاج أحد الاسمين على الأقل.
template-branches-region_code = رمز المنطقة؛ الرمز الجديد ينشئ المنطقة.
template-branches-lat = خط العرض من −90 إلى 90 (مع lon، أو اتركهما فارغين).
template-branches-lon = خط الطول من −180 إلى 180.
template-branches-teams = مفاتيح الفرق تفصل بينها ';' (tellers;service).
template-users-email = البريد الإلكتروني، وهو اسم الدخول؛ مطلوب.
template-users-name = الاسم المعروض.
template-users-role = admin أو qa أو manager أو shopper.
template-users-scope_kind = للمديرين: region أو branch أو team؛ فارغ لغير ذلك.
template-users-scope_code = رمز المنطقة أو الفرع، أو رمز-الفرع/مفتاح_الفريق للفريق. كرر البريد في صف آخر لنطاق آخر.
template-users-language = ar أو en أو فارغ.

## الحسابات وحقول المؤسسة

password-current-wrong = كلمة المرور الحالية خاطئة
password-too-short = يجب ألا تقل عن { $min } أحرف
password-too-long = يجب ألا تزيد على { $max } حرف
password-unchanged = يجب أن تختلف كلمة المرور الجديدة عن الحالية
field-required = يجب ألا يكون فارغا
field-too-long = يجب ألا يزيد على { $max } حرف
field-control-characters = يجب ألا يحتوي على محارف تحكم
email-invalid = ليس عنوان بريد إلكتروني
names-missing = اكتب الاسم بلغة واحدة على الأقل
language-tag-invalid = ليس رمز لغة (en، ar، fr-CA، …)
code-invalid = حروف وأرقام و'.' و'_' و'-' فقط، ويبدأ بحرف أو رقم
latitude-range = يجب أن يكون بين −90 و90
longitude-range = يجب أن يكون بين −180 و180
no-such-region = لا توجد منطقة بهذا المعرف
no-such-branch = لا يوجد فرع بهذا المعرف
no-such-scope = { $kind ->
    [region] لا توجد منطقة بهذا المعرف
    [branch] لا يوجد فرع بهذا المعرف
   *[team] لا يوجد فريق بهذا المعرف
}
scopes-managers-only = النطاقات للمديرين فقط؛ دور { $role } يرى حسب دوره

## مؤشرات المعقولية (مراجعة الجودة): السبب بالأرقام، وما يجب التحقق منه

distance-m = { $n } م
distance-km = { $n } كم
span-minutes = { $n-plural ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $n } دقائق
   *[other] { $n } دقيقة
}
span-hours = { $n } ساعة
span-days = { $n } يوم
flag-no-location = تسجيل الوصول بلا موقع، فلا يمكن التأكد من الحضور في الفرع — اسأل المتسوق لماذا كان الموقع مغلقا.
flag-far-from-branch = سُجّل الوصول على بعد { $distance } من الفرع (أكثر من { $limit }) — تحقق من أن المتسوق كان في هذا الفرع.
flag-too-short = استغرقت الزيارة { $taken } ث، و{ $items-plural ->
    [zero] لا بنود مُجابة تحتاج
    [one] بند مُجاب واحد يحتاج
    [two] بندان مُجابان يحتاجان
    [few] { $items } بنود مُجابة تحتاج
    [many] { $items } بندا مُجابا تحتاج
   *[other] { $items } بند مُجاب تحتاج
} { $needed } ث على الأقل ({ $base } ث + { $per } ث لكل بند) — تحقق من أن الإجابات شوهدت فعلا ولم تُخمَّن.
flag-before-window = سُجّل الوصول قبل فتح نافذة المهمة ({ $opened }) بـ{ $span } — تحقق من أن الزيارة كانت لهذه المهمة.
flag-after-window = سُجّل الوصول بعد إغلاق نافذة المهمة ({ $closed }) بـ{ $span } — تحقق من أن الزيارة كانت لهذه المهمة.
flag-photo-before-check-in = التُقطت صورة «{ $item }» قبل تسجيل الوصول بـ{ $span } — تحقق من أنها التُقطت في هذه الزيارة.
flag-photo-after-visit = التُقطت صورة «{ $item }» بعد انتهاء الزيارة بـ{ $span } — تحقق من أنها التُقطت في هذه الزيارة.
flag-photo-place = التُقطت صورة «{ $item }» على بعد { $distance } من الفرع — تحقق من أنها التُقطت في هذه الزيارة.
flag-late-submission = أُرسلت الإجابات بعد تسجيل الوصول بـ{ $span } (أكثر من { $limit } ساعة) — تحقق من معقولية التفاصيل بعد هذه المدة.

## مشكلات إجابات الزيارة (تفاصيل 422 في ‎/answers/<key>)

visit-does-not-fit = الزيارة لا تطابق إصدار قائمة التحقق ({ $count-plural ->
    [one] مشكلة واحدة
    [two] مشكلتان
    [few] { $count } مشكلات
    [many] { $count } مشكلة
   *[other] { $count } مشكلة
})
answer-unknown-item = لا يوجد بند بهذا المفتاح في قائمة التحقق
answer-evidence-unknown-item = دليل لبند غير موجود في قائمة التحقق
answer-evidence-not-references = يجب أن يكون الدليل قائمة بمراجع مرفقات (نصوص غير فارغة)
answer-hidden = أُجيب عن البند وهو مخفي (show_if: { $condition })
answer-required = بند مطلوب لم تتم الإجابة عنه
answer-photo-required = هذه الإجابة تتطلب صورة
answer-photo-required-on-fail = تتطلب صورة عندما لا يتحقق هذا البند
answer-na-not-allowed = الإجابة "na" (لا ينطبق) غير مسموحة لهذا البند
answer-not-yes-no = المتوقع "yes" أو "no"، والموجود { $found }
answer-outside-scale = { $value } خارج المقياس من { $min } إلى { $max }
answer-not-scale = المتوقع عدد صحيح من { $min } إلى { $max }، والموجود { $found }
answer-not-an-option = المتوقع أحد الخيارات ({ $options })، والموجود { $found }
answer-not-option-list = المتوقع قائمة من الخيارات ({ $options })، والموجود { $found }
answer-option-twice = الخيار «{ $option }» مختار مرتين
answer-not-number = المتوقع رقم، والموجود { $found }
answer-not-seconds = المتوقع عدد من الثواني، والموجود { $found }
answer-negative-duration = لا يمكن أن تكون المدة سالبة، والموجود { $value }
answer-below-minimum = { $value } أقل من الحد الأدنى { $min }
answer-above-maximum = { $value } أكبر من الحد الأعلى { $max }
answer-above-bands = { $value } أعلى من آخر شريحة ولا توجد شريحة لما بعدها
answer-not-text = المتوقع نص، والموجود { $found }
answer-not-timestamp = المتوقع تاريخ ووقت بصيغة RFC 3339 مثل "2026-10-03T14:12:00+03:00"، والموجود { $found }
answer-not-references = المتوقع قائمة بمراجع مرفقات، والموجود { $found }
answer-note = الملاحظة للعرض فقط ولا تقبل إجابة

## التعارضات (409): ما الحالة الآن وماذا يمكن فعله بدلا من ذلك

conflict-assignment-state = المهمة { $status ->
    [offered] معروضة
    [accepted] مقبولة
    [declined] مرفوضة من المتسوق
    [submitted] مُرسلة
    [returned] مُعادة للمتسوق
    [approved] معتمدة
    [rejected] مرفوضة
    [cancelled] ملغاة
    [open] مفتوح
    [upheld] مؤيَّد
    [overturned] مُلغى
   *[other] { $status }
}؛ لا يمكن أن تصبح { $to ->
    [accepted] مقبولة
    [declined] مرفوضة
    [cancelled] ملغاة
   *[other] { $to }
} الآن
conflict-visit-recorded = سُجّلت زيارة لهذه المهمة من قبل
conflict-answers-closed = المهمة { $status ->
    [offered] معروضة
    [accepted] مقبولة
    [declined] مرفوضة من المتسوق
    [submitted] مُرسلة
    [returned] مُعادة للمتسوق
    [approved] معتمدة
    [rejected] مرفوضة
    [cancelled] ملغاة
    [open] مفتوح
    [upheld] مؤيَّد
    [overturned] مُلغى
   *[other] { $status }
}؛ لم يعد ممكنا تغيير إجاباتها
conflict-key-reused = استُخدم مفتاح Idempotency-Key هذا لإرسال مختلف؛ استخدم مفتاحا جديدا لإجابات جديدة
conflict-submitted-once = المهمة { $status ->
    [offered] معروضة
    [accepted] مقبولة
    [declined] مرفوضة من المتسوق
    [submitted] مُرسلة
    [returned] مُعادة للمتسوق
    [approved] معتمدة
    [rejected] مرفوضة
    [cancelled] ملغاة
    [open] مفتوح
    [upheld] مؤيَّد
    [overturned] مُلغى
   *[other] { $status }
} من قبل؛ تُرسل الزيارة مرة واحدة (أعد المحاولة بمفتاح Idempotency-Key نفسه لتحصل على ردها)
conflict-submitted-meanwhile = أُرسلت المهمة أو سُحبت في هذه الأثناء؛ أعد المحاولة بمفتاح Idempotency-Key نفسه لتحصل على ردها
conflict-region-has-branches = ما زال في المنطقة { $count-plural ->
    [one] فرع واحد
    [two] فرعان
    [few] { $count } فروع
    [many] { $count } فرعا
   *[other] { $count } فرع
}؛ انقلها أو احذفها أولا
conflict-email-taken = يوجد مستخدم بالبريد الإلكتروني { $email }
conflict-own-admin = لا يمكنك تعطيل حسابك أو التخلي عن دور المدير العام بنفسك؛ يستطيع ذلك مدير عام آخر
conflict-last-admin = هذا آخر مدير عام نشط؛ ستبقى المنظمة بلا مدير عام
conflict-dispute-overturned = أُلغي من قبل بند «{ $item }» في هذه الزيارة باعتراض؛ البند يُحتسب «لا ينطبق»
conflict-dispute-open = يوجد اعتراض مفتوح على بند «{ $item }» في هذه الزيارة؛ انتظر قرار مراقبة الجودة
conflict-dispute-resolved = الاعتراض { $status ->
    [offered] معروضة
    [accepted] مقبولة
    [declined] مرفوضة من المتسوق
    [submitted] مُرسلة
    [returned] مُعادة للمتسوق
    [approved] معتمدة
    [rejected] مرفوضة
    [cancelled] ملغاة
    [open] مفتوح
    [upheld] مؤيَّد
    [overturned] مُلغى
   *[other] { $status }
}؛ لا يُبت إلا في اعتراض مفتوح
conflict-dispute-resolved-meanwhile = بُتّ في الاعتراض في هذه الأثناء
conflict-attachments-closed = المهمة { $status ->
    [offered] معروضة
    [accepted] مقبولة
    [declined] مرفوضة من المتسوق
    [submitted] مُرسلة
    [returned] مُعادة للمتسوق
    [approved] معتمدة
    [rejected] مرفوضة
    [cancelled] ملغاة
    [open] مفتوح
    [upheld] مؤيَّد
    [overturned] مُلغى
   *[other] { $status }
}؛ لم يعد ممكنا إضافة مرفقات
conflict-review-state = الزيارة { $status ->
    [offered] معروضة
    [accepted] مقبولة
    [declined] مرفوضة من المتسوق
    [submitted] مُرسلة
    [returned] مُعادة للمتسوق
    [approved] معتمدة
    [rejected] مرفوضة
    [cancelled] ملغاة
    [open] مفتوح
    [upheld] مؤيَّد
    [overturned] مُلغى
   *[other] { $status }
}؛ لا تُراجع إلا زيارة مُرسلة
conflict-checklist-immutable = الإصدار { $version } من «{ $key }» منشور، والإصدارات المنشورة لا تتغير؛ احفظ التغيير إصدارا جديدا
conflict-checklist-draft-exists = الإصدار { $version } من «{ $key }» موجود مسودةً؛ استبدله بـ PUT /api/v1/checklists/{ $key }/versions/{ $version }
conflict-checklist-same-content = الإصدار { $version } من «{ $key }» منشور بهذا المحتوى من قبل
conflict-checklist-different-content = الإصدار { $version } من «{ $key }» منشور بمحتوى مختلف، والإصدارات المنشورة لا تتغير؛ احفظ التغيير إصدارا جديدا
