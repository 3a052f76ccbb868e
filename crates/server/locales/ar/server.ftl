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
