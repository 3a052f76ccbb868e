# النصوص التي يكتبها الخادم، بالعربية (SPEC §10.31). كل معرّف هنا موجود أيضا في ../en/server.ftl
# بالمتغيرات نفسها. المتغير العددي $n يصحبه $n-plural: صنف الجمع في CLDR.

## أعطال من جهتنا (تسجل أسبابها ولا تعرض أبدا)

error-unavailable = قاعدة البيانات غير متاحة
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
mail-review-backlog-subject = { $waiting ->
    [zero] لا زيارات تنتظر المراجعة
    [one] زيارة واحدة تنتظر المراجعة
    [two] زيارتان تنتظران المراجعة
    [few] { $waiting } زيارات تنتظر المراجعة
   *[other] { $waiting } زيارة تنتظر المراجعة
}
mail-review-backlog-body =
    عدد الزيارات المرسلة التي تنتظر المراجعة: { $waiting }، منها { $overdue } انتظرت أكثر من { $hours } ساعة، وأقدمها منذ { $oldest }.

    افتح قائمة المراجعة في سِرّ لاعتمادها أو إعادتها: المتسوقون وتقارير الفروع ينتظرونك.
mail-report-ready-subject = تقارير { $month } جاهزة
mail-report-ready-body =
    احتُسبت درجات زيارات { $month }: الدرجات العادلة لفروعك واتجاهها والبنود التي لم تتحقق وتقارير التوجيه بصيغة PDF متاحة في سِرّ.

    افتح سِرّ لقراءتها والتخطيط لجلسات التوجيه.

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
checklist-changed-meanwhile = حفظ شخص آخر مسودة الإصدار { $version } من «{ $key }» بعد أن فتحتها؛ افتحها من جديد لترى تغييراته
conflict-checklist-draft-exists = الإصدار { $version } من «{ $key }» موجود مسودةً؛ استبدله بـ PUT /api/v1/checklists/{ $key }/versions/{ $version }
conflict-checklist-same-content = الإصدار { $version } من «{ $key }» منشور بهذا المحتوى من قبل
conflict-checklist-different-content = الإصدار { $version } من «{ $key }» منشور بمحتوى مختلف، والإصدارات المنشورة لا تتغير؛ احفظ التغيير إصدارا جديدا

## مشكلات مستند قائمة التحقق (تفاصيل الرفض 422 والتحذيرات عند مسار JSON)

checklist-not-valid = قائمة التحقق غير صالحة ({ $count-plural ->
    [zero] لا مشكلات
    [one] مشكلة واحدة
    [two] مشكلتان
    [few] { $count } مشكلات
   *[other] { $count } مشكلة
})
checklist-version-too-large = يجب ألا يزيد على 2147483647
checklist-version-in-url = رقم الإصدار عدد صحيح لا يقل عن 1، والموجود «{ $found }»
checklist-key-mismatch = يجب أن يطابق مفتاح الرابط «{ $key }»، والموجود «{ $found }»
checklist-version-mismatch = يجب أن يطابق إصدار الرابط { $version }، والموجود { $found }
checklist-version-exists = الإصدار { $version } من «{ $key }» موجود
checklist-wrong-type = المتوقع { $expected }، والموجود { $found }
json-null = القيمة null
json-bool = قيمة منطقية (true/false)
json-number = رقم
json-string = نص
json-list = قائمة
json-object = كائن
checklist-expected-object = { $part } (كائن JSON)
checklist-part-checklist = قائمة تحقق
checklist-part-section = قسم
checklist-part-item = بند
checklist-part-evidence = قاعدة دليل مثل { $example }
checklist-part-option = خيار
checklist-part-band = شريحة مثل { $example }
checklist-expected-string = نص
checklist-expected-bool = true أو false
checklist-expected-number = رقم
checklist-expected-whole-number = عدد صحيح
checklist-expected-text-per-language = نص لكل لغة (كائن مثل { $example })
checklist-expected-critical-rule = "zero" أو { $example }
checklist-expected-photo-rule = "required" أو "on_fail"
checklist-list-language-tags = قائمة بوسوم اللغات
checklist-list-sections = قائمة بالأقسام
checklist-list-items = قائمة بالبنود
checklist-list-strings = قائمة بالنصوص
checklist-list-options = قائمة بالخيارات
checklist-list-bands = قائمة بالشرائح
checklist-unknown-field = حقل غير معروف «{ $field }»
checklist-unknown-field-suggestion = حقل غير معروف «{ $field }» (هل تقصد «{ $suggestion }»؟)
checklist-missing-field = الحقل المطلوب «{ $field }» غير موجود
checklist-empty = يجب ألا يكون فارغا
checklist-empty-languages = اذكر لغة واحدة على الأقل، مثل { $example }
checklist-empty-sections = تحتاج قائمة التحقق إلى قسم واحد على الأقل
checklist-empty-items = يحتاج القسم إلى بند واحد على الأقل
checklist-empty-strings = اذكر عنصرا واحدا على الأقل
checklist-empty-options = يحتاج بند الاختيار إلى خيار واحد على الأقل
checklist-empty-bands = أضف شريحة واحدة على الأقل، أو احذف الحقل «bands» إذا كان البند لا يحتسب في الدرجة
checklist-invalid-key = { $found } ليس مفتاحا صالحا: يجب أن يبدأ بحرف لاتيني صغير أو رقم، وألا يحتوي إلا على a-z و0-9 و'_' و'-'
checklist-invalid-language-tag = { $found } ليس وسم لغة وفق BCP-47 (مثل en أو ar أو ar-SA)
checklist-text-without-languages = اكتب النص لكل لغة، مثل { $example }
checklist-language-twice = اللغة «{ $lang }» مذكورة مرتين
checklist-invalid-version = يجب أن يكون رقم الإصدار عددا صحيحا لا يقل عن 1، والموجود { $found }
checklist-weight-not-positive = يجب أن يكون الوزن أكبر من 0، والموجود { $found }
checklist-weight-not-positive-number = يجب أن يكون الوزن رقما أكبر من 0
checklist-field-not-for-type = الحقل «{ $field }» لا ينطبق على بند من نوع { $item_type }
checklist-unknown-item-type = نوع بند غير معروف «{ $found }» (الأنواع: { $types })
checklist-option-without-key = خيار بلا مفتاح
checklist-condition-syntax = في العمود { $column }: { $problem }، في الشرط { $condition }
checklist-condition-in = في { $context }: { $problem }
checklist-no-title-checklist = ليس لقائمة التحقق عنوان بأي لغة
checklist-no-title-section = ليس للقسم عنوان بأي لغة
checklist-no-text-item = ليس للبند نص بأي لغة، فلن يرى المتسوق شيئا
checklist-cap-out-of-range = يجب أن يكون الحد الأقصى للدرجة 0 على الأقل وأقل من 1، والموجود { $found }
checklist-duplicate-key = مفتاح { $of ->
    [section] القسم
    [item] البند
   *[option] الخيار
} «{ $key }» مكرر (استخدم أولا في { $first })
checklist-missing-translation = لا يوجد نص بلغة «{ $lang }»، مع أن قائمة التحقق تعلن هذه اللغة
checklist-undeclared-language = نص بلغة «{ $lang }»، وهي ليست من لغات قائمة التحقق
checklist-scale-bounds = يجب أن يكون الحد الأدنى للمقياس أصغر من حده الأعلى، والموجود الحد الأدنى { $min } والحد الأعلى { $max }
checklist-score-out-of-range = يجب أن تكون درجة { $of ->
    [option] الخيار
   *[band] الشريحة
} بين 0 و1، والموجود { $found }
checklist-note-flag = لا يجاب عن الملاحظة أبدا، فلا يمكن أن تكون { $flag }
checklist-note-weight = الملاحظة لا تحتسب في الدرجة، فلا أثر لوزنها
checklist-critical-never-scored = يجب أن يكون البند الحرج قابلا للإخفاق، لكن هذا البند من نوع { $item_type } لا يحتسب في الدرجة أبدا
checklist-critical-cannot-fail = يجب أن يكون البند الحرج قابلا للإخفاق، لكن لا توجد إجابة درجتها 0 (اجعل درجة خيار أو شريحة 0)
checklist-evidence-not-for-type = لا يمكن أن يتطلب بند من نوع { $item_type } صورة دليلا
checklist-on-fail-cannot-fail = القاعدة "on_fail" تحتاج إلى بند يمكن أن تكون درجته 0؛ استخدم "required" أو اجعل درجة الإجابة الخاطئة 0
checklist-owner-spaces = يجب ألا يبدأ اسم المسؤول أو ينتهي بمسافة
checklist-min-not-below-max = يجب أن يكون الحد الأدنى ({ $min }) أصغر من الحد الأعلى ({ $max })
checklist-negative-duration = المدة لا تكون سالبة أبدا
checklist-band-without-max = الشريحة الأخيرة وحدها يجوز أن تخلو من «max» (فهي تشمل كل قيمة أكبر)
checklist-bands-overlap = الشرائح متداخلة: شريحتان تنتهيان عند { $max }
checklist-bands-unsorted = يجب ترتيب الشرائح تصاعديا حسب «max»، لكن { $max } تأتي بعد { $previous }
checklist-band-below-min = تنتهي هذه الشريحة دون الحد الأدنى للبند، فلا تقع فيها أي إجابة
checklist-band-gap = فجوة: الإجابات من { $last } حتى الحد الأعلى للبند ({ $max }) لا تقع في أي شريحة؛ أضف شريحة شاملة
checklist-nothing-scored = لا يحتسب أي بند في قائمة التحقق هذه، فستكون درجة كل زيارة N/A

## لغة الشروط show_if: أخطاء الصياغة والأنواع

condition-single-equals = «=» ليست عامل مقارنة هنا: قارن باستخدام «==»
condition-bang = «!» ليست عاملا: للنفي استخدم «not»، وللمقارنة «!=»
condition-double-quote = تكتب النصوص بين علامتي اقتباس مفردتين: 'هكذا'
condition-unclosed-string = هذا النص لا يغلق بعلامة "'"
condition-bad-escape = لا يجوز أن يلي الشرطة المائلة العكسية إلا \' أو \\
condition-unusable-number = { $word } ليس رقما صالحا للاستخدام
condition-upper-case-key = «{ $word }» ليس مفتاح بند صالحا: المفاتيح بأحرف صغيرة
condition-not-number-nor-key = «{ $word }» ليس رقما ولا مفتاح بند صالحا
condition-unexpected-char = حرف غير متوقع «{ $found }»
condition-expected = المتوقع { $want }، والموجود { $found }
condition-too-many-operators = أكثر من { $max } من «and» و«or» في شرط واحد
condition-too-deep = تداخل أعمق من { $max } { $max-plural ->
    [few] مستويات
   *[other] مستوى
}
condition-empty = الشرط فارغ
condition-trailing = لا يتوقع وجود { $found } بعد شرط مكتمل
condition-want-close-paren = «)»
condition-want-open-paren = «(» بعد { $after }
condition-want-comma-before-option = «,» بين مفتاح البند والخيار
condition-want-open-bracket = «[» لبدء القائمة
condition-want-comma-or-close-bracket = «,» أو «]»
condition-want-item-key = مفتاح بند
condition-want-quoted-option = خيار بين علامتي اقتباس
condition-want-operand = مفتاح بند أو قيمة
condition-want-value = قيمة ('نص' أو رقم أو true أو false)
condition-want-in-after-not = «in» بعد «not»
condition-want-comparison = مقارنة (== أو != أو < أو <= أو > أو >=) أو «in» بعد { $after }
condition-token-string = النص { $text }
condition-token-number = الرقم { $number }
condition-token-end = نهاية الشرط
condition-reserved-word = «{ $key }» كلمة محجوزة ولا يمكن أن تسمي بندا في شرط
condition-unknown-item = بند غير معروف «{ $key }»
condition-self-reference = لا يمكن أن يعتمد البند على إجابته هو («{ $key }»)
condition-later-item = البند «{ $key }» يأتي لاحقا في قائمة التحقق: لا تستخدم الشروط إلا الإجابات السابقة
condition-multi-choice-compared = «{ $key }» بند اختيار متعدد؛ اختبره باستخدام selected({ $key }, 'option')
condition-photo-compared = «{ $key }» بند صورة؛ اختبره باستخدام answered({ $key })
condition-note-never-answered = «{ $key }» ملاحظة لا يجاب عنها أبدا
condition-type-mismatch = «{ $key }» من نوع { $holds }، لكن { $literal } من نوع { $is }
condition-not-an-answer = { $literal } ليست من إجابات «{ $key }» (الإجابات: { $answers })
condition-not-an-option = «{ $option }» ليس من خيارات «{ $key }» (الخيارات: { $options })
condition-selected-needs-choice = الدالة selected() تحتاج إلى بند اختيار أو اختيار متعدد، لكن «{ $key }» من نوع { $item_type }
condition-constant-comparison = يقارن بين ثابتين، فالنتيجة دائما true أو دائما false
condition-items-differ = «{ $left }» من نوع { $left_holds }، لكن «{ $right }» من نوع { $right_holds }
condition-in-needs-item = يجب أن يكون الطرف الأيسر من «in» مفتاح بند
condition-ordering-not-number = «{ $op }» يقارن الأرقام، لا قيما من نوع { $ty }
value-type-text = نص
value-type-number = رقم
value-type-bool = قيمة منطقية (true/false)
xlsform-refused = لم يحول المصنف لوجود مشكلات فيه (العدد: { $count })
file-too-large = الملف أكبر من الحد المسموح ({ $limit } بايت)
body-unreadable = تعذرت قراءة محتوى الطلب: { $problem }

## طلبات مرفوضة حقلا حقلا (تفاصيل 422 و400)، وما تركه التعيين الجماعي دون متسوق

action-plan-team-scope-reads = نطاق الفريق يطلع على خطة عمل فرعه فقط؛ لا يغيرها إلا نطاق الفرع أو المنطقة
date-invalid = يجب أن يكون تاريخا بصيغة YYYY-MM-DD
no-item-in-published-checklists = لا يوجد بند بهذا المفتاح في أي قائمة تحقق منشورة
no-section-in-published-checklists = لا يوجد قسم بهذا المفتاح في أي قائمة تحقق منشورة
period-invalid = الفترة غير صالحة: { $problem }
period-label-expected = يجب أن يكون وسم فترة بصيغة YYYY-MM أو YYYY-Qn أو أسبوع ISO بصيغة YYYY-Www
item-or-section-key = اذكر item_key أو section_key، لا كليهما
one-of = يجب أن تكون إحدى القيم: { $values }
no-active-shopper-with-id = لا يوجد متسوق نشط بهذا المعرف
no-branch-with-id = لا يوجد فرع بهذا المعرف
no-team-in-branch = لا يوجد فريق بهذا المعرف في الفرع
window-end-after-start = يجب أن يكون بعد window_start
no-campaign-with-id = لا توجد حملة بهذا المعرف
rotation-not-valid = قيمة revisit_days خارج النطاق المسموح
say-why = اذكر السبب
status-unknown = حالة غير معروفة «{ $status }»؛ القيم الممكنة: { $values }
name-length = من 1 إلى { $max } حرف
ends-before-starts = يجب ألا يكون قبل starts_on
between = بين { $min } و{ $max }
branches-none = اذكر فرعا واحدا على الأقل
code-characters = أحرف وأرقام و'.' و'_' و'-' فقط
scenario-duplicate = يكرر السيناريو { $first }؛ لكل سيناريو رمزه الخاص
scenarios-too-many = { $max } سيناريو على الأكثر
brief-language = يُكتب الموجز بلغة en (الإنجليزية) أو ar (العربية)
brief-both-languages = اكتب الموجز بالعربية والإنجليزية معاً: يقرؤه المتسوق بلغته
reassign-same-shopper = المهمة مسندة إلى هذا المتسوق أصلاً؛ اختر متسوقاً آخر
duration-range = يجب أن تكون بين 0 و86400 ثانية
draft-does-not-fit = المسودة لا تطابق قائمة التحقق
idempotency-key-missing = أرسل الترويسة Idempotency-Key (مفتاح لكل إرسال، وتستخدمه المحاولات المعادة نفسه)
at-most-characters = { $max } حرف على الأكثر
assignment-cancelled = ألغيت المهمة؛ لا يمكن إرسال زيارة لها
webhook-events-none = اذكر نوع حدث واحدا على الأقل
webhook-events-too-many = { $max } نوع حدث على الأكثر
webhook-event-unknown = نوع حدث غير معروف؛ الأنواع الممكنة: { $values }
region-code-exists = توجد منطقة بالرمز «{ $code }»
branch-code-exists = يوجد فرع بالرمز «{ $code }»
team-code-exists = لدى الفرع فريق بالرمز «{ $code }»
token-name-missing = يحتاج الرمز إلى اسم
disputes-not-for-shoppers = لا يحق لدور المتسوق الاطلاع على الاعتراضات
dispute-team-scope-own-team = نطاق الفريق لا يعترض إلا على زيارات فريقه
dispute-no-such-item = لا يوجد بند بهذا المفتاح في إصدار قائمة التحقق الخاص بالزيارة
dispute-item-unanswered = لا توجد في الزيارة إجابة عن هذا البند (كان مخفيا أو متروكا)
dispute-item-na = أجيب عن هذا البند في الزيارة بـ N/A، فلا يحتسب في الدرجات
attachment-no-such-item = لا يوجد بند «{ $item }» في قائمة التحقق { $key } الإصدار { $version }
attachment-item-is-note = البند «{ $item }» ملاحظة ولا يقبل مرفقات
attachment-note-item = بند الملاحظة لا يقبل مرفقات
attachments-per-assignment-full = في المهمة { $held } مرفقا، وهو الحد الأقصى المسموح (storage.max_attachments_per_assignment)
time-with-offset-expected = المتوقع وقت بصيغة RFC 3339 مع فرق التوقيت (2026-10-03T14:12:00+03:00)
lat-lon-together = اذكر lat وlon معا
upload-parameters-not-valid = معاملات الرفع غير صالحة
media-unsupported = نوع الملف غير مقبول: { $problem }
media-malformed = الملف تالف أو لا يمكن قراءته: { $problem }
attachment-no-photos = البند «{ $item }» لا يقبل صورا (لا يقبلها إلا بند الصورة والبند الذي له قاعدة دليل مصور)؛ وقد أرسلت صورة { $kind }
review-say-what-to-fix = اذكر ما يجب تصحيحه
review-note-or-comment = اكتب ملاحظة أو تعليقا على بند واحد على الأقل
review-reason-for-shopper = اكتب السبب الذي سيقرؤه المتسوق
export-language-unknown = «{ $lang }» ليست من لغات التصدير: en أو ar
query-invalid = معاملات الاستعلام غير صالحة: { $problem }
odata-option-invalid = خيار استعلام OData غير صالح: { $problem }
path-invalid = مسار الطلب غير صالح: { $problem }
token-unknown-or-revoked = رمز الوصول غير معروف أو ملغى، أو لا يخص هذا المستخدم
basic-malformed = بيانات اعتماد HTTP Basic غير سليمة
basic-needs-token = تأخذ طريقة HTTP Basic بريدك الإلكتروني ورمز وصول شخصيا (sirr_pat_…)، لا كلمة المرور
credentials-expected = المتوقع الترويسة Authorization: Bearer <token>، أو HTTP Basic مع رمز وصول شخصي
utf8-required = يجب أن يكون نصا بترميز UTF-8
nul-character = يجب ألا يحتوي على محارف NUL (U+0000)
audit-cursor-invalid = ليس معرف سجل تدقيق ولا وقتا بصيغة RFC 3339
report-over-budget = تعذر إعداد التقرير خلال { $ms } ملي ثانية؛ حاول مرة أخرى لاحقا
checklist-version-draft = الإصدار { $version } من قائمة التحقق { $key } مسودة؛ انشره أولا
checklist-not-published = غير منشور
checklist-version-missing = لا توجد قائمة تحقق { $key } بالإصدار { $version }
checklist-no-such-version = لا يوجد هذا الإصدار من قائمة التحقق
time-rfc3339-required = يجب أن يكون وقتا بصيغة RFC 3339 مع فرق التوقيت (2026-10-03T14:12:00+03:00)
rotation-barred = المتسوق ممنوع من هذا الفرع (تعارض مصالح: { $reason })
rotation-too-soon = لدى المتسوق زيارة لهذا الفرع في { $date } (التناوب: يجب أن تفصل بين الزيارتين { $days-plural ->
    [one] يوم واحد
    [two] يومان
    [few] { $days } أيام
   *[other] { $days } يوما
} على الأقل)
url-spaces = يجب ألا يحتوي على مسافات
url-invalid = ليس رابطا
url-scheme = يجب أن يبدأ بـ http:// أو https://
url-host = يجب أن يذكر اسم المضيف
secret-not-base64 = السر المكتوب بصيغة whsec_… يجب أن يكون بترميز base64 بعد البادئة
secret-length = يجب أن يكون طول المفتاح من { $min } إلى { $max } بايت (تحسب أسرار whsec_ بعد فك ترميزها)
no-active-shoppers = لا يوجد متسوقون نشطون
no-eligible-shopper = لا يوجد متسوق مؤهل: { $reasons }
checklist-unreadable = تعذرت قراءة المستند: { $problem }
period-invalid-expected = الفترة غير صالحة: { $problem }؛ الصيغ المقبولة YYYY-MM أو YYYY-Qn أو YYYY-Www (أسبوع ISO)
lang-parameter-unknown = لغة غير معروفة { $quoted }؛ المتوقع en أو ar
review-no-such-item = لا يوجد بند بهذا المفتاح في قائمة التحقق الخاصة بالزيارة
export-format-unsupported = لا تصدر البيانات { $dataset } بصيغة { $format }
export-format-unsupported-here = لا تصدر البيانات { $dataset } بصيغة { $format } هنا
export-scores-filter = تحسب الدرجات على جميع الزيارات المعتمدة: صفها حسب period أو region_id أو branch_id
export-filter-not-here = لا تُصفّى البيانات { $dataset } بهذا: صفّها حسب period أو region_id أو branch_id{ $dataset ->
    [disputes] {" "}(أو checklist)
   *[other] {""}
}
import-unreadable = تعذرت قراءة الملف: { $problem }

## مشكلات مصنف XLSForm حسب الورقة والصف والعمود

xlsform-unreadable-file = الملف ليس جدول بيانات مقروءا (.xlsx أو .xls أو .ods): { $cause }
xlsform-unreadable-sheet = تعذرت قراءة الورقة «{ $sheet }»: { $cause }
xlsform-no-survey-sheet = لا يحتوي المصنف على ورقة «survey» (الأوراق الموجودة: { $sheets })
xlsform-form-title = عنوان النموذج: { $problem }
xlsform-no-key = لا يوجد form_id في ورقة الإعدادات، ولا يعطي اسم الملف مفتاحا: { $problem }
xlsform-language-unknown = تعذرت معرفة اللغة «{ $label }»: اكتبها بالصيغة { $form }، مثل { $example }
xlsform-language-code = اللغة «{ $label }»: { $problem }
xlsform-missing-survey-columns = تحتاج ورقة survey إلى العمودين «type» و«name»
xlsform-missing-questions = لا يحتوي الاستبيان على أي سؤال يمكن استخدامه في قائمة التحقق
xlsform-missing-type = هذا الصف بلا نوع
xlsform-missing-name = هذا السؤال بلا اسم
xlsform-missing-label = هذا السؤال بلا نص
xlsform-missing-note-text = هذه الملاحظة بلا نص (لا يمكن عرض الصور وحدها)
xlsform-missing-list-name = خيار بلا list_name
xlsform-missing-choice-name = خيار في القائمة «{ $list }» بلا اسم (مفتاح الخيار)
xlsform-missing-list = لا توجد في ورقة choices قائمة باسم «{ $list }»
xlsform-missing-begin-group = يوجد «end group» دون «begin group» يقابله
xlsform-missing-bands = لم تذكر أي شريحة: اكتب أزواجا بالصيغة max:score، مثل { $example }
xlsform-not-number = «{ $found }» ليس رقما
xlsform-not-number-in = «{ $found }» في «{ $part }» ليس رقما
xlsform-not-score-in = «{ $found }» في «{ $part }» ليس درجة
xlsform-not-score = «{ $found }» ليس درجة بين 0 و1
xlsform-not-yes-no = «{ $found }» ليس yes أو no
xlsform-not-evidence-rule = «{ $found }» ليس قاعدة دليل: اكتب required أو on_fail
xlsform-not-critical-rule = «{ $found }» ليس قاعدة للبنود الحرجة: اكتب zero أو cap 0.5
xlsform-not-version = الإصدار «{ $found }» ليس عددا صحيحا من 1 إلى 4294967295، لذلك تأخذ قائمة التحقق الإصدار 1
xlsform-not-band = «{ $found }» ليس شريحة: اكتب max:score، مثل { $example }
xlsform-not-name-value = «{ $found }» ليس بالصيغة name=value
xlsform-type-unknown = نوع سؤال غير معروف «{ $found }»
xlsform-type-no-place = لا مكان للنوع «{ $found }» في قائمة التحقق (في sirr أقسام من أسئلة مفردة، بلا تكرار ولا حلقات ولا مواقع ولا صوت ولا فيديو ولا ملفات)
xlsform-type-repeat = النوع «{ $found }» مرفوض: لا مكان في قائمة التحقق للتكرار أو الحلقات (يطرح كل سؤال مرة واحدة في كل زيارة)
xlsform-type-select-without-list = النوع «{ $found }» غير مدعوم: يجب أن تأتي الخيارات من ورقة choices ({ $one } أو { $multiple })
xlsform-type-metadata = «{ $found }» بيانات وصفية للجهاز وليس سؤالا، فتم تجاوزه
xlsform-type-computed = «{ $found }» يحسب قيمة ولا يسأل شيئا، فتم تجاوزه
xlsform-type-becomes-text = «{ $found }» يصبح بندا نصيا
xlsform-bad-item-name = لا يمكن أن يكون «{ $name }» مفتاح بند: يجب أن يبدأ بحرف أو رقم، وألا يحتوي إلا على الحروف والأرقام و'_' و'-' و'.'
xlsform-bad-section-name = لا يمكن أن يكون «{ $name }» مفتاح قسم: يجب أن يبدأ بحرف أو رقم، وألا يحتوي إلا على الحروف والأرقام و'_' و'-' و'.'
xlsform-group-no-label = المجموعة «{ $name }» بلا نص، فيستخدم اسمها عنوانا للقسم
xlsform-group-nested = دمجت المجموعة المتداخلة «{ $name }» في القسم الذي يحتويها (الأقسام لا تتداخل)
xlsform-group-never-closed = المجموعة «{ $name }» لا تغلق أبدا بسطر «end group»
xlsform-group-empty = المجموعة «{ $name }» لا تحتوي على أي سؤال يمكن استخدامه في قائمة التحقق
xlsform-choice-merged = «{ $name }» يكرر خيارا سابقا في القائمة «{ $list }» (الصف { $row })، فدمج الاثنان
xlsform-choice-differs = «{ $name }» خيار موجود من قبل في القائمة «{ $list }» (الصف { $row }) بنص أو درجة مختلفة
xlsform-key-reused = «{ $name }» يعطي المفتاح «{ $key }» الذي يستخدمه الصف { $row } من قبل
xlsform-conditional-required = العمود required المشروط ({ $value }) غير مدعوم، فالسؤال اختياري
xlsform-constraint-not-imported = لا تستورد القيود (constraint)؛ تفحص الإجابات حسب النوع والنطاق والخيارات فقط
xlsform-choice-filter-not-imported = لا تستورد مرشحات الخيارات (choice_filter)؛ تعرض كل خيارات القائمة
xlsform-calculation-not-imported = لا تستورد الحسابات (calculation)
xlsform-fractional-range = النطاق الذي لا تكون خطواته أعدادا صحيحة بمقدار 1 يصبح بندا رقميا
xlsform-column-ignored = العمود «{ $column }» لا معنى له في قائمة التحقق، فيتم تجاهله
xlsform-relevant = تعذرت ترجمة الشرط { $expression }: عند الحرف { $position }: { $problem }

## لماذا تتعذر ترجمة شرط relevant (داخل xlsform-relevant)

relevant-unclosed-reference = '{ $open }' لا يغلق بعلامة '{ $close }'
relevant-unclosed-string = هذا النص لا يغلق بعلامة اقتباس
relevant-not-a-number = «{ $found }» ليس رقما
relevant-current-question = النقطة '.' (السؤال الحالي) لا معنى لها في شرط الظهور هنا
relevant-unsupported-character = «{ $found }» غير مدعوم (العمليات الحسابية والمسارات ليست جزءا من شروط قائمة التحقق)
relevant-expected-close-paren = المتوقع ')'
relevant-expected-open-paren = المتوقع '(' بعد { $word } (الدوال وحدها مسموح بها هنا)
relevant-expected-selected-comma = المتوقع ',' في { $form }
relevant-not-before = { $reference } ليس سؤالا يسبق هذا السؤال
relevant-needs-reference = الدالة { $function }() تحتاج هنا إلى إشارة إلى سؤال بالصيغة { $example }
relevant-selected-needs-option = الدالة selected() تحتاج إلى خيار بين علامتي اقتباس
relevant-selected-needs-select = الدالة selected() تحتاج إلى سؤال اختيار، لكن { $reference } ليس كذلك
relevant-unknown-function = الدالة { $function }() غير مدعومة في شروط قائمة التحقق
relevant-ends-early = ينتهي التعبير قبل أوانه
relevant-unexpected = غير متوقع: { $found }
relevant-unexpected-after = غير متوقع بعد شرط مكتمل: { $found }
relevant-constant-alone = القيمة الثابتة وحدها ليست شرطا
relevant-only-emptiness = لا يدعم مع string-length() وcount-selected() إلا اختبار الفراغ (> 0 أو = 0)
relevant-only-equality-with-empty = لا يقارن بالقيمة '' إلا باستخدام = و!=
relevant-number-versus-text = { $reference } رقم، لكن «{ $found }» ليس رقما
relevant-only-selected = لا يختبر { $reference } إلا باستخدام selected() أو بالمقارنة مع ''
relevant-not-comparable = لا يمكن مقارنة { $left } و{ $right }
relevant-unsupported-comparison = هذه المقارنة غير مدعومة: قارن سؤالا بالصيغة { $example } بقيمة
relevant-always-false = الدالة false() ستخفي السؤال دائما

## روابط كلمة المرور: إعادة تعيين تُطلب بالبريد، ودعوة حساب جديد

reset-needs-mail = إعادة تعيين كلمة المرور بالبريد غير متاحة: هذا الخادم لا يرسل بريدا (smtp.host غير مضبوط). اطلب من المسؤول أن يعيّن لك كلمة مرور جديدة.
invite-needs-mail = الدعوة بالبريد غير متاحة: هذا الخادم لا يرسل بريدا (smtp.host غير مضبوط). أعطِ كلمة مرور بدلا منها، أو اتركها فارغة لتُولَّد.
invite-with-password = أعطِ كلمة مرور أو ادعُ بالبريد، لا الاثنين معا
invitation-inactive = هذا الحساب معطَّل؛ أعد تفعيله قبل أن ترسل دعوته مرة أخرى
invitation-not-pending = عيَّن هذا المستخدم كلمة مرور من قبل، فلا دعوة لإرسالها مرة أخرى؛ استعمل «إعادة تعيين كلمة المرور» بدلا من ذلك
link-not-valid = لا يمكن استعمال الرابط
link-unknown = هذا الرابط غير صالح؛ اطلب رابطا جديدا من «نسيت كلمة المرور؟» في شاشة تسجيل الدخول
link-used = استُعمل هذا الرابط من قبل؛ اطلب رابطا جديدا من «نسيت كلمة المرور؟» في شاشة تسجيل الدخول
link-expired = انتهت صلاحية هذا الرابط؛ اطلب رابطا جديدا من «نسيت كلمة المرور؟» في شاشة تسجيل الدخول
link-account-inactive = هذا الحساب معطَّل؛ راجع المسؤول
mail-reset-subject = إعادة تعيين كلمة المرور في سِرّ
mail-reset-body =
    طلب أحدٌ، ولعله أنت، إعادة تعيين كلمة مرور حسابك في سِرّ { $email }.

    افتح هذا الرابط لتختار كلمة مرور جديدة. يعمل مرة واحدة، حتى { $until } بالتوقيت العالمي:

    { $url }

    إن لم تطلب ذلك فتجاهل هذه الرسالة: تبقى كلمة مرورك كما هي.
mail-invitation-subject = حسابك في سِرّ
mail-invitation-body =
    أُنشئ لك حساب في سِرّ: { $email }.

    افتح هذا الرابط لتختار كلمة مرورك. يعمل مرة واحدة، حتى { $until } بالتوقيت العالمي:

    { $url }

    وفيما بعد يرسل لك «نسيت كلمة المرور؟» في شاشة تسجيل الدخول رابطا جديدا.
