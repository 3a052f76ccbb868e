# نصوص تقرير التوجيه (PDF) بالعربية (SPEC §8، §10.31). كل معرّف هنا موجود أيضا في ../en/report.ftl
# بالمتغيرات نفسها.
#
# تصل المتغيرات منسقة من التقرير، والأرقام فيها معزولة باتجاه من اليسار إلى اليمين: النسب
# ($rate و$low و$high و$level) والتغير بالنقاط ($points) والفترات نصوص؛ والعدد $n يصحبه $n-plural:
# صنف الجمع في CLDR. الصيغ المعدودة بعد «من» مجرورة: فرع واحد، فرعين، 3 فروع، 11 فرعا، 100 فرع.
# بلا تشكيل: يظهر التشكيل في الملف جيدا لكن pdftotext يستخرجه بترتيب خاطئ.

## إطار الصفحة

report-title = تقرير التوجيه
report-subtitle = نتائج التسوق الخفي لجلسة التوجيه
report-document-title = تقرير التوجيه — { $name } ({ $code })
report-footer = لا تظهر هويات المتسوقين في هذا التقرير أبدا.
report-page = صفحة { $page } من { $pages }

## الترويسة

report-organisation = المؤسسة
report-branch = الفرع
report-team = الفريق
report-region = المنطقة
report-period = الفترة
report-month = { $month ->
    [m1] يناير
    [m2] فبراير
    [m3] مارس
    [m4] أبريل
    [m5] مايو
    [m6] يونيو
    [m7] يوليو
    [m8] أغسطس
    [m9] سبتمبر
    [m10] أكتوبر
    [m11] نوفمبر
   *[m12] ديسمبر
} { $year }
report-language = اللغة
report-language-name = العربية
report-visits = الزيارات
report-all-visits = جميع الزيارات المعتمدة

## الأرقام الرئيسية

report-fair-score = الدرجة العادلة
report-raw-score = الدرجة الخام
# لا نقطتان بعد الوصف: pdftotext ينقلهما إلى الجهة الأخرى من الرقم.
report-interval = نطاق الثقة { $level } من { $low } إلى { $high }
report-change-since = التغير منذ { $period }
report-was = كانت { $score }
report-points = { $points } نقطة
report-no-previous = لا توجد فترة سابقة للمقارنة
report-rank = الترتيب بين الفروع
report-rank-of = { $rank } من { $of }
report-region-rank = في المنطقة { $rank } من { $of }
report-no-visits = لا توجد زيارات معتمدة في هذه الفترة.

## الرسوم

report-trend-title = الدرجة العادلة خلال الفترات الأخيرة
report-sections-title = الأقسام مقارنة بالمتوسطات
report-this-branch = هذا الفرع
report-this-team = هذا الفريق
report-region-average = متوسط المنطقة
report-branch-average = متوسط الفرع
report-organisation-average = متوسط المؤسسة

## البنود

report-went-well = ما تم بشكل جيد
report-strongest = أقوى البنود
report-appreciated = ما أشاد به المتسوقون
report-no-positive = لم تسجل تعليقات إيجابية في هذه الفترة.
report-gaps = البنود غير المستوفاة والضعيفة
report-weak-items = بنود أخرى غير مستوفاة أو ضعيفة
report-no-gaps = لا يوجد بند غير مستوفى أو ضعيف في هذه الفترة.
report-no-gaps-but-critical = الإجابات هذه الفترة أقل من أن يوصف بها بند بالضعف، لكن بنودا حرجة لم تستوف: انظر «إخفاقات البنود الحرجة».
report-pass-rate-of = نسبة الاستيفاء { $rate } من { $answers-plural ->
    [one] إجابة واحدة
    [two] إجابتين
    [few] { $answers } إجابات
   *[other] { $answers } إجابة
}
report-owner-line = الجهة المسؤولة: { $owner }
report-comments = تعليقات المتسوقين:
report-shown-of = يظهر هنا { $shown } من { $total }؛ القائمة كاملة في تطبيق الويب
report-none = لا يوجد.

## المشكلات

report-issues-title = المشكلات العامة والمشكلات الخاصة بالفرع
report-systemic = مشكلات عامة (للجهة المسؤولة)
report-systemic-note = هذه البنود تتعثر في فروع كثيرة: علاجها تعديل في السياسات أو التدريب أو الأنظمة من الجهة المسؤولة عنها، وليس لوم فرع واحد.
report-failing-branches = غير مستوفى في { $failing } من { $branches-plural ->
    [one] فرع واحد
    [two] فرعين
    [few] { $branches } فروع
    [many] { $branches } فرعا
   *[other] { $branches } فرع
}
report-this-branch-rate = هذا الفرع { $rate }
report-this-team-rate = هذا الفريق { $rate }
report-branch-specific = خاصة بهذا الفرع
report-critical-title = إخفاقات البنود الحرجة
report-critical-line = لم يستوف في { $failed } من { $visits-plural ->
    [one] زيارة واحدة
    [two] زيارتين
    [few] { $visits } زيارات
   *[other] { $visits } زيارة
}
report-no-critical = لم يخفق أي بند حرج في هذه الفترة.

## طريقة الحساب

report-method-title = كيف تحسب هذه الدرجات
report-method = تقيم كل زيارة وفق قائمة التحقق: يحصل كل بند على درجة من 0 إلى 1، ودرجة القسم والزيارة متوسط مرجح لبنودهما، والإخفاق في بند حرج يصفر درجة الزيارة أو يحد منها. الدرجة الخام هي متوسط درجات الزيارات. يختلف المتسوقون في تشددهم، وتختلف السيناريوهات وأوقات الزيارة في صعوبتها، وقد يحصل فرع قليل الزيارات على نتيجة مرتفعة أو منخفضة بالمصادفة. تصحح الدرجة العادلة ذلك كله: فهي تقدر الدرجة التي يحصل عليها الفرع لو زاره متسوق متوسط في ظروف متوسطة، وتقرب النتائج المبنية على زيارات قليلة من المتوسط بالقدر المناسب. ويبين نطاق الثقة { $level } مدى دقة التقدير، ويضيق كلما زادت الزيارات. الترتيب حسب الدرجة العادلة، والمرتبة 1 هي الأفضل. البنود التي اعترض عليها وقبل فريق الجودة الاعتراض لا تحتسب.

## خطة العمل

report-actions-title = خطة العمل
report-actions-note = الإجراءات القائمة وحالتها؛ الصفوف الفارغة لهذه الجلسة.
report-col-topic = الموضوع
report-col-action = الإجراء
report-col-owner = المسؤول
report-col-due = الموعد
report-col-status = الحالة
report-general = عام
report-status-open = مفتوح
report-status-in-progress = قيد التنفيذ
report-status-done = منجز

## الجهات المسؤولة عن بنود قوائم التحقق (owner). القائمة مفتوحة: الجهة التي ليس لها نص هنا
## تظهر كما كتبت. في تطبيق الويب القائمة نفسها (web/js/i18n.js).

owner-operations = العمليات
owner-training = التدريب
owner-facilities = المرافق
owner-it = تقنية المعلومات
owner-product = المنتجات
owner-policy = السياسات
owner-compliance = الالتزام
owner-marketing = التسويق
owner-hr = الموارد البشرية
owner-security = الأمن
