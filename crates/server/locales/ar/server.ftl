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
email-taken = يوجد مستخدم بالبريد { $email }
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
region-has-branches = { $count-plural ->
    [one] في المنطقة فرع واحد
    [two] في المنطقة فرعان
    [few] في المنطقة { $count } فروع
   *[other] في المنطقة { $count } فرعا
}؛ انقل الفروع أو احذفها أولا
