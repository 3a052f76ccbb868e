// Interface strings in English and Arabic, the language choice, and number/date formatting.
// Checklist texts come from the checklists' own `en`/`ar` fields, not from here.

const STRINGS = {
  en: {
    app: 'sirr', signIn: 'Sign in', signOut: 'Sign out', email: 'Email', password: 'Password',
    sessionEnded: 'Your session has ended. Sign in again to carry on where you were.', wrongLogin: 'Wrong email or password.', throttled: 'Too many attempts; try again later.',
    offlineLogin: 'No connection: signing in needs the server.',
    language: 'Language', myAssignments: 'My assignments', noAssignments: 'No open assignments.',
    due: 'Due', window: 'Window', scenario: 'Scenario', directions: 'Directions',
    start: 'Start visit', continue: 'Continue', fix: 'Fix returned visit', view: 'View',
    status_offered: 'Offered', status_accepted: 'Accepted', status_submitted: 'Submitted',
    status_returned: 'Returned', status_approved: 'Approved', status_declined: 'Declined',
    status_cancelled: 'Cancelled', status_draft: 'Draft', status_open: 'Open', status_rejected: 'Rejected by the quality team',
    visit: 'Visit', fromBranch: 'Distance from the branch', metres: (n) => `${num(n)} m`, kilometres: (n) => `${num(n)} km`,
    duration: 'Length', minutes: (n) => `${num(n)} ${n === 1 ? 'minute' : 'minutes'}`, critical: 'critical', wasBefore: 'Before',
    changedSince: (n) => `Answers changed since revision ${num(n)} are marked.`, noteOrReason: 'Note for the shopper (the reason, when rejecting)',
    rejectVisit: 'Reject', rejectNeedsReason: 'Write the reason first: the shopper reads it.',
    rejectConfirm: 'Reject this visit? It will never count in any score, and the shopper cannot resubmit it.', cancelAction: 'Cancel',
    rejectedBecause: 'The quality team rejected this visit. It does not count. Their reason:',
    status_upheld: 'Upheld', status_overturned: 'Overturned', status_in_progress: 'In progress', status_done: 'Done',
    checkedIn: 'Checked in', locationShared: 'location shared', noLocation: 'no location',
    section: 'Section', of: 'of', next: 'Next', previous: 'Back', review: 'Review',
    yes: 'Yes', no: 'No', na: 'Not applicable', comment: 'Comment', addComment: 'Comment (optional)',
    photo: 'Take photo', photoRequired: 'A photo is required', photoOnFail: 'A photo is required when this fails',
    photos: 'Photos', required: 'Required', seconds: 'seconds', answered: 'answered',
    reviewTitle: 'Review before submitting', missing: 'Still missing', nothingMissing: 'Everything required is answered.',
    submit: 'Submit visit', goTo: 'Go to item',
    sync_saved: 'Saved on this device', sync_waiting: 'Waiting for connection', sync_sending: 'Sending…',
    sync_sent: 'Sent', sync_failed: 'Needs attention',
    queued: 'Your visit is queued on this device and will be sent when the connection returns.',
    sent: 'Visit submitted. Thank you!', qaNotes: 'Notes from QA', qaSays: 'QA',
    back: 'Back', dashboard: 'Dashboard', period: 'Period', raw: 'Raw score', fair: 'Fair score',
    interval: '90% interval', visits: 'visits', trend: 'Trend', sections: 'Sections',
    branchLabel: 'Branch', regionLabel: 'Region', orgLabel: 'Organisation',
    failedItems: 'Items below full marks', systemic: 'Systemic issues (organisation-wide)', peerRank: 'Peer rank',
    rankOf: (r, n) => `${r} of ${n}`, inRegion: 'in region', disputes: 'Disputes', fileDispute: 'Dispute',
    reason: 'Reason', evidence: 'Evidence (link or text)', send: 'Send', actions: 'Action plans',
    action: 'Action', owner: 'Owner', dueOn: 'Due on', add: 'Add', pdfAr: 'PDF report (Arabic)',
    pdfEn: 'PDF report (English)', pdfFailed: 'The report could not be downloaded.',
    noData: 'No data for this period.', resolution: 'Resolution', branch: 'Branch',
    reviewQueue: 'Review queue', approve: 'Approve', returnVisit: 'Return to shopper', note: 'Note for the shopper',
    itemComment: 'Comment on this item', flags: 'Plausibility flags', noFlags: 'No flags', shopper: 'Shopper',
    revision: 'Revision', emptyQueue: 'Nothing waiting for review.', checklists: 'Checklists',
    upload: 'Upload checklist (XLSForm .xlsx or JSON)', sheetAt: (sheet, row, column) => `Sheet “${sheet}”, row ${row}${column ? `, column “${column}”` : ''}`, fixFirst: 'Fix the problems above before publishing.', savedAsVersion: (v) => `Saved as a draft of version ${v} (the earlier version is published and stays as it is).`, converting: 'Reading the workbook…', validate: 'Check', saveDraft: 'Save draft', publish: 'Publish',
    valid: 'No problems found.', preview: 'Preview', severity: 'Shopper severity', agreement: 'Calibration agreement',
    harsh: 'harsh', lenient: 'lenient', alpha: 'Agreement (α)', encounters: 'encounters',
    resolve: 'Resolve', upheld: 'Uphold', overturned: 'Overturn', campaigns: 'Campaigns',
    newCampaign: 'New campaign', name: 'Name', startsOn: 'Starts on', endsOn: 'Ends on', branches: 'Branches',
    visitsPerBranch: 'Visits per branch', create: 'Create', assignAll: 'Assign shoppers', unfilled: 'unfilled',
    saved: 'Saved', error: 'Something went wrong', problems: 'Problems', home: 'Home',
    yourAnswer: 'Answer', item: 'Item', done: 'done', nothing: '—',

    outOfRange: (lo, hi) => `Enter a number from ${lo} to ${hi}`,
    help: 'Help', now: 'Now', clearAnswer: 'Clear answer', startTimer: 'Start timer', stopTimer: 'Stop timer',
    viewPhoto: 'View photo', removePhoto: 'Remove photo', removePhotoConfirm: 'Remove this photo from the visit? A photo taken on this phone cannot be brought back.',
    secondsN: (n) => `${num(n)} ${n === 1 ? 'second' : 'seconds'}`,
    photosN: (n) => `${num(n)} ${n === 1 ? 'photo' : 'photos'}`, photoUnavailable: 'This photo cannot be shown without a connection.', photoMissing: 'This photo is not stored on the server.', close: 'Close',
    draft_unsaved: 'Not saved yet', draft_saved: 'Saved on this device',
    sync_waiting_n: (n) => (n === 1 ? '1 visit waiting to send' : `${num(n)} visits waiting to send`), sync_attention: 'Needs your attention',
    device_waiting: 'Waiting to send',
    readyOffline: 'Ready offline', notReadyOffline: 'Not yet saved for offline use',
    notReadyOfflineExplained: 'This visit has not been saved on this phone yet. Connect to the internet once and open your assignments; after that it works without a connection.',
    offlineList: 'No connection: this is the list saved on this phone.', offlineNoList: 'No connection, and no list saved on this phone yet. Connect once to load your assignments.',
    offlineScreen: 'The server cannot be reached, and this screen is not saved on this device.', errorRetry: 'Something went wrong on our side. Please try again in a moment.',
    status_withdrawn: 'Withdrawn', openOutcome: 'Open',
    sentReconciled: 'This visit was already received by the server. Nothing else to do.',
    goneExplained: 'This assignment was withdrawn before your visit could be sent, so the server cannot accept it. Your answers are kept on this phone below. Please contact the quality team.',
    removeFromPhone: 'Remove from this phone', removeConfirm: 'Remove this visit and its photos from this phone? This cannot be undone.', keep: 'Keep',
    yourAnswers: 'Your answers',
    invalidExplained: 'The server could not accept some answers. Fix the items below and submit again; every other answer is kept.',
    fixAnswers: 'Fix the answers',
    failedExplained: 'The server refused this visit. Try again, or edit the answers and submit again.',
    failedTooLarge: 'The photos are too many or too large for this visit. Remove some photos and submit again.',
    failedConflict: 'This visit could not be matched with the assignment on the server. Please contact the quality team.',
    tryAgain: 'Try again', editAnswers: 'Edit answers', sendNow: 'Send now',
    stillNotSent: 'Not sent: the server cannot be reached. The visit stays on this phone and is sent as soon as it can.',
    assignmentGone: 'This assignment is no longer available. Please contact the quality team.',
    signOutUnsent: (n) => (n === 1 ? 'One visit on this phone is not sent yet. It stays here and is sent when you sign in again.' : `${num(n)} visits on this phone are not sent yet. They stay here and are sent when you sign in again.`),
    signOutDrafts: (n) => (n === 1 ? 'One unfinished visit stays on this phone; you can continue it when you sign in again.' : `${num(n)} unfinished visits stay on this phone; you can continue them when you sign in again.`),
    signOutQuestion: 'Sign out?',
    signOutAnyway: 'Sign out', staySignedIn: 'Stay signed in',
    // Managers' views (issue 14)
    league: 'League table', leagueTitle: 'Branches by fair score', rank: 'Rank', change: 'Change',
    leagueNote: 'Fair score with its 90% interval; rank among all branches; change in points since the previous month. Tap a branch to open it.',
    changeSinceShort: (m) => `Change since ${m}`, changeSince: (p, m) => `${p} since ${m}`, noEarlierPeriod: (m) => `No visits in ${m} to compare with`,
    pointsN: (f, n) => `${f} ${n === 1 ? 'point' : 'points'}`, visitsN: (n) => `${num(n)} ${n === 1 ? 'visit' : 'visits'}`,
    heatMap: 'Sections by branch', heatNote: 'Each cell is the branch\'s mean section score this period; darker green is better, red is weaker.',
    heatRegionOnly: 'The section map is drawn for one region: open a region\'s manager view, or a branch.',
    loading: 'Loading…', panelFailed: (what) => `${what}: could not be loaded. Try again.`,
    pdfPreparing: 'Preparing the report… this can take a few seconds.', pdfReady: 'The report has been downloaded.',
    pdfOffline: 'The server cannot be reached, so the report was not downloaded. Check the connection and try again.',
    pdfServerError: 'The server could not make the report. Try again in a moment.',
    offlineAction: 'The server cannot be reached. Nothing was changed; try again when the connection is back.',
    noItem: '(no particular item)', addresses: 'Item it addresses', statusLabel: 'Status', reopen: 'Reopen', markDone: 'Mark done',
    addAction: 'Add an action', failedSummary: (items, answers) => `${num(items)} ${items === 1 ? 'item' : 'items'} below full marks, ${num(answers)} ${answers === 1 ? 'time' : 'times'} in all.`,
    commentsN: (n) => `${num(n)} ${n === 1 ? 'comment' : 'comments'}`,
    openVisit: 'Open the visit', noComment: 'No comment from the shopper.', disputed: 'Disputed', teams: 'Teams', team: 'Team',
    teamLabel: 'Team', weakestItems: 'Weakest items', report: 'Coaching report', failed: 'failed',
    axisNote: (lo, hi) => `Fair score; the axis runs from ${lo} to ${hi}, not from 0%, so that changes show.`,
    anonymous: 'Who made the visit is never shown to the branch.',
    scaleOf: (v, max) => `${v} of ${max}`, versionShort: (v) => `v${num(v)}`, versionStatus: (v, status) => `version ${num(v)}: ${status}`,
    status_published: 'published', publishedOk: 'Published. New visits use this version; visits on older versions keep their scores.',
    openDraft: 'Open the draft', draftOpened: (v) => `Draft version ${num(v)}, as saved: check it in the previews, then publish it, or download it, change it and upload it again to replace the draft.`,
    downloadJson: 'Download the draft (JSON)',
    resolutionReason: 'Reason for your decision (the branch manager reads it)',
    disputeNeedsReason: 'Write the reason for your decision first: the branch manager reads it.',
    disputeDecided: 'This dispute has already been decided. Reload the list to see the open ones.',
    disputeGone: 'This dispute no longer exists. Reload the list.',
    fullMarks: 'Full marks', shareOfVisits: (p) => `${p} of visits`,
    belowFullN: (n, m) => `below full marks in ${num(n)} of ${num(m)} ${m === 1 ? 'visit' : 'visits'}`,
    partialNote: 'Counted here: visits where the item did not get full marks. Some still earned part of its points (a 3 on a 1–5 scale, one option of two); each visit below shows what it got. "Full marks" is the share of visits that got all of it.',
    partialScore: (p) => `earned ${p} of the item's points`, noPoints: 'no points',
    moreItems: (n) => `${num(n)} more ${n === 1 ? 'item' : 'items'} below full marks`,
  },
  ar: {
    app: 'سرّ', signIn: 'تسجيل الدخول', signOut: 'تسجيل الخروج', email: 'البريد الإلكتروني', password: 'كلمة المرور',
    sessionEnded: 'انتهت جلستك. سجّل الدخول مجددًا لتكمل من حيث توقفت.', wrongLogin: 'البريد الإلكتروني أو كلمة المرور غير صحيحة.', throttled: 'محاولات كثيرة؛ حاول لاحقاً.',
    offlineLogin: 'لا يوجد اتصال: تسجيل الدخول يحتاج إلى الخادم.',
    language: 'اللغة', myAssignments: 'مهامي', noAssignments: 'لا توجد مهام مفتوحة.',
    due: 'الموعد النهائي', window: 'الفترة', scenario: 'السيناريو', directions: 'الاتجاهات',
    start: 'ابدأ الزيارة', continue: 'متابعة', fix: 'تصحيح الزيارة المعادة', view: 'عرض',
    status_offered: 'معروضة', status_accepted: 'مقبولة', status_submitted: 'مُرسلة',
    status_returned: 'مُعادة', status_approved: 'معتمدة', status_declined: 'اعتذرت عنها',
    status_cancelled: 'ملغاة', status_draft: 'مسودة', status_open: 'مفتوح', status_rejected: 'رفضها فريق الجودة',
    visit: 'الزيارة', fromBranch: 'البعد عن الفرع', metres: (n) => `${num(n)} م`, kilometres: (n) => `${num(n)} كم`,
    duration: 'المدة', minutes: (n) => arabicCount(n, { zero: 'دقيقة', one: 'دقيقة واحدة', two: 'دقيقتان', few: 'دقائق', many: 'دقيقة', other: 'دقيقة' }), critical: 'حرج', wasBefore: 'قبل',
    changedSince: (n) => `الإجابات التي تغيّرت منذ المراجعة ${num(n)} مميَّزة.`, noteOrReason: 'ملاحظة للمتسوق (وسبب الرفض عند الرفض)',
    rejectVisit: 'رفض', rejectNeedsReason: 'اكتب السبب أولاً: سيقرؤه المتسوق.',
    rejectConfirm: 'هل تريد رفض هذه الزيارة؟ لن تُحتسب في أي نتيجة، ولا يمكن للمتسوق إعادة إرسالها.', cancelAction: 'تراجع',
    rejectedBecause: 'رفض فريق الجودة هذه الزيارة، فلا تُحتسب. السبب:',
    status_upheld: 'مؤيَّد', status_overturned: 'نُقض التقييم', status_in_progress: 'قيد التنفيذ', status_done: 'منجز',
    checkedIn: 'وقت الوصول', locationShared: 'تمت مشاركة الموقع', noLocation: 'بلا موقع',
    section: 'القسم', of: 'من', next: 'التالي', previous: 'السابق', review: 'مراجعة',
    yes: 'نعم', no: 'لا', na: 'لا ينطبق', comment: 'تعليق', addComment: 'تعليق (اختياري)',
    photo: 'التقط صورة', photoRequired: 'الصورة مطلوبة', photoOnFail: 'الصورة مطلوبة عند الإخفاق',
    photos: 'الصور', required: 'مطلوب', seconds: 'ثانية', answered: 'تمت الإجابة',
    reviewTitle: 'مراجعة قبل الإرسال', missing: 'ما زال ناقصاً', nothingMissing: 'تمت الإجابة عن كل المطلوب.',
    submit: 'أرسل الزيارة', goTo: 'انتقل إلى البند',
    sync_saved: 'محفوظ على هذا الجهاز', sync_waiting: 'بانتظار الاتصال', sync_sending: 'جارٍ الإرسال…',
    sync_sent: 'أُرسلت', sync_failed: 'تحتاج إلى انتباه',
    queued: 'زيارتك محفوظة على هذا الجهاز وستُرسل عند عودة الاتصال.',
    sent: 'أُرسلت الزيارة. شكراً لك!', qaNotes: 'ملاحظات فريق الجودة', qaSays: 'الجودة',
    back: 'رجوع', dashboard: 'لوحة المتابعة', period: 'الفترة', raw: 'الدرجة الخام', fair: 'الدرجة العادلة',
    interval: 'فترة ثقة 90٪', visits: 'زيارات', trend: 'الاتجاه', sections: 'الأقسام',
    branchLabel: 'الفرع', regionLabel: 'المنطقة', orgLabel: 'المؤسسة',
    failedItems: 'بنود دون الدرجة الكاملة', systemic: 'مشكلات عامة على مستوى المؤسسة', peerRank: 'الترتيب بين الفروع',
    rankOf: (r, n) => `${r} من ${n}`, inRegion: 'في المنطقة', disputes: 'الاعتراضات', fileDispute: 'اعتراض',
    reason: 'السبب', evidence: 'الدليل (رابط أو نص)', send: 'إرسال', actions: 'خطط العمل',
    action: 'الإجراء', owner: 'المسؤول', dueOn: 'تاريخ الاستحقاق', add: 'إضافة', pdfAr: 'تقرير PDF (عربي)',
    pdfEn: 'تقرير PDF (إنجليزي)', pdfFailed: 'تعذّر تنزيل التقرير.',
    noData: 'لا توجد بيانات لهذه الفترة.', resolution: 'القرار', branch: 'الفرع',
    reviewQueue: 'قائمة المراجعة', approve: 'اعتماد', returnVisit: 'إعادة إلى المتسوق', note: 'ملاحظة للمتسوق',
    itemComment: 'تعليق على هذا البند', flags: 'مؤشرات المعقولية', noFlags: 'لا توجد مؤشرات', shopper: 'المتسوق',
    revision: 'المراجعة', emptyQueue: 'لا شيء بانتظار المراجعة.', checklists: 'قوائم التحقق',
    upload: 'رفع قائمة تحقق (XLSForm ‎.xlsx‎ أو JSON)', sheetAt: (sheet, row, column) => `الورقة \u2068${sheet}\u2069، الصف \u2068${row}\u2069${column ? `، العمود \u2068${column}\u2069` : ''}`, fixFirst: 'أصلح المشكلات أعلاه قبل النشر.', savedAsVersion: (v) => `حُفظت مسودةً للإصدار \u2068${v}\u2069 (الإصدار السابق منشور ويبقى كما هو).`, converting: 'جارٍ قراءة المصنّف…', validate: 'تحقّق', saveDraft: 'حفظ المسودة', publish: 'نشر',
    valid: 'لم يُعثر على مشكلات.', preview: 'معاينة', severity: 'صرامة المتسوقين', agreement: 'اتفاق المعايرة',
    harsh: 'صارم', lenient: 'متساهل', alpha: 'الاتفاق (α)', encounters: 'مواقف',
    resolve: 'البت', upheld: 'تأييد', overturned: 'نقض التقييم', campaigns: 'الحملات',
    newCampaign: 'حملة جديدة', name: 'الاسم', startsOn: 'تبدأ في', endsOn: 'تنتهي في', branches: 'الفروع',
    visitsPerBranch: 'زيارات لكل فرع', create: 'إنشاء', assignAll: 'توزيع المتسوقين', unfilled: 'غير مُسنَد',
    saved: 'تم الحفظ', error: 'حدث خطأ', problems: 'المشكلات', home: 'الرئيسية',
    yourAnswer: 'الإجابة', item: 'البند', done: 'منجز', nothing: '—',

    outOfRange: (lo, hi) => `أدخل رقماً من ${lo} إلى ${hi}`,
    help: 'مساعدة', now: 'الآن', clearAnswer: 'مسح الإجابة', startTimer: 'بدء المؤقت', stopTimer: 'إيقاف المؤقت',
    viewPhoto: 'عرض الصورة', removePhoto: 'حذف الصورة', removePhotoConfirm: 'هل تريد حذف هذه الصورة من الزيارة؟ لا يمكن استعادة صورة التُقطت بهذا الهاتف.',
    secondsN: (n) => arabicCount(n, { zero: 'ثانية', one: 'ثانية واحدة', two: 'ثانيتان', few: 'ثوانٍ', many: 'ثانية', other: 'ثانية' }),
    photosN: (n) => arabicCount(n, { zero: 'صورة', one: 'صورة واحدة', two: 'صورتان', few: 'صور', many: 'صورة', other: 'صورة' }), photoUnavailable: 'لا يمكن عرض هذه الصورة دون اتصال.', photoMissing: 'هذه الصورة غير محفوظة على الخادم.', close: 'إغلاق',
    draft_unsaved: 'لم يُحفظ بعد', draft_saved: 'محفوظ على هذا الجهاز',
    sync_waiting_n: (n) => (n === 1 ? 'زيارة واحدة بانتظار الإرسال' : n === 2 ? 'زيارتان بانتظار الإرسال' : n <= 10 ? `${num(n)} زيارات بانتظار الإرسال` : `${num(n)} زيارة بانتظار الإرسال`),
    sync_attention: 'تحتاج إلى انتباهك', device_waiting: 'بانتظار الإرسال',
    readyOffline: 'جاهزة دون اتصال', notReadyOffline: 'لم تُحفظ بعد للعمل دون اتصال',
    notReadyOfflineExplained: 'لم تُحفظ هذه الزيارة على هذا الهاتف بعد. اتصل بالإنترنت مرة واحدة وافتح مهامك؛ بعدها تعمل دون اتصال.',
    offlineList: 'لا يوجد اتصال: هذه القائمة المحفوظة على هذا الهاتف.', offlineNoList: 'لا يوجد اتصال، ولا توجد قائمة محفوظة على هذا الهاتف بعد. اتصل مرة واحدة لتحميل مهامك.',
    offlineScreen: 'تعذّر الوصول إلى الخادم، وهذه الشاشة غير محفوظة على هذا الجهاز.', errorRetry: 'حدث خطأ من جهتنا. حاول مرة أخرى بعد قليل.',
    status_withdrawn: 'مسحوبة', openOutcome: 'فتح',
    sentReconciled: 'وصلت هذه الزيارة إلى الخادم من قبل. لا حاجة لفعل شيء آخر.',
    goneExplained: 'سُحبت هذه المهمة قبل أن تُرسل زيارتك، لذلك لا يستطيع الخادم قبولها. إجاباتك محفوظة على هذا الهاتف أدناه. يُرجى التواصل مع فريق الجودة.',
    removeFromPhone: 'حذف من هذا الهاتف', removeConfirm: 'هل تريد حذف هذه الزيارة وصورها من هذا الهاتف؟ لا يمكن التراجع عن ذلك.', keep: 'إبقاء',
    yourAnswers: 'إجاباتك',
    invalidExplained: 'لم يقبل الخادم بعض الإجابات. صحّح البنود أدناه ثم أرسل مرة أخرى؛ بقية الإجابات محفوظة.',
    fixAnswers: 'تصحيح الإجابات',
    failedExplained: 'رفض الخادم هذه الزيارة. حاول مرة أخرى، أو عدّل الإجابات ثم أرسلها من جديد.',
    failedTooLarge: 'الصور كثيرة أو كبيرة جداً لهذه الزيارة. احذف بعض الصور ثم أرسل مرة أخرى.',
    failedConflict: 'تعذّرت مطابقة هذه الزيارة مع المهمة على الخادم. يُرجى التواصل مع فريق الجودة.',
    tryAgain: 'حاول مرة أخرى', editAnswers: 'تعديل الإجابات', sendNow: 'أرسل الآن',
    stillNotSent: 'لم تُرسل: تعذّر الوصول إلى الخادم. تبقى الزيارة على هذا الهاتف وتُرسل حالما أمكن.',
    assignmentGone: 'هذه المهمة لم تعد متاحة. يُرجى التواصل مع فريق الجودة.',
    signOutUnsent: (n) => (n === 1 ? 'زيارة واحدة على هذا الهاتف لم تُرسل بعد. ستبقى هنا وتُرسل عند تسجيل دخولك مرة أخرى.' : `${num(n)} زيارات على هذا الهاتف لم تُرسل بعد. ستبقى هنا وتُرسل عند تسجيل دخولك مرة أخرى.`),
    signOutDrafts: (n) => (n === 1 ? 'زيارة واحدة لم تكتمل ستبقى على هذا الهاتف، ويمكنك متابعتها عند تسجيل دخولك مرة أخرى.' : `${num(n)} زيارات لم تكتمل ستبقى على هذا الهاتف، ويمكنك متابعتها عند تسجيل دخولك مرة أخرى.`),
    signOutQuestion: 'هل تريد تسجيل الخروج؟',
    signOutAnyway: 'تسجيل الخروج', staySignedIn: 'البقاء مسجلاً',
    league: 'جدول الترتيب', leagueTitle: 'الفروع حسب الدرجة العادلة', rank: 'الترتيب', change: 'التغيّر',
    leagueNote: 'الدرجة العادلة مع نطاق الثقة ٩٠٪؛ الترتيب بين كل الفروع؛ التغيّر بالنقاط منذ الشهر السابق. المس فرعاً لفتحه.',
    changeSinceShort: (m) => `التغيّر منذ ${m}`, changeSince: (p, m) => `${p} منذ ${m}`, noEarlierPeriod: (m) => `لا زيارات في ${m} للمقارنة بها`,
    pointsN: (f, n) => `${f} ${arabicForm(n, { zero: 'نقطة', one: 'نقطة', two: 'نقطة', few: 'نقاط', many: 'نقطة', other: 'نقطة' })}`,
    visitsN: (n) => arabicCount(n, { zero: 'زيارة', one: 'زيارة واحدة', two: 'زيارتان', few: 'زيارات', many: 'زيارة', other: 'زيارة' }),
    heatMap: 'الأقسام حسب الفرع', heatNote: 'كل خانة متوسط درجة القسم في الفرع لهذه الفترة؛ الأخضر الأغمق أفضل والأحمر أضعف.',
    heatRegionOnly: 'تُرسم خريطة الأقسام لمنطقة واحدة: افتح عرض مدير المنطقة أو فرعاً.',
    loading: 'جارٍ التحميل…', panelFailed: (what) => `${what}: تعذّر التحميل. حاول مرة أخرى.`,
    pdfPreparing: 'جارٍ إعداد التقرير… قد يستغرق ذلك بضع ثوانٍ.', pdfReady: 'تم تنزيل التقرير.',
    pdfOffline: 'تعذّر الوصول إلى الخادم، فلم يُنزَّل التقرير. تحقّق من الاتصال وحاول مرة أخرى.',
    pdfServerError: 'تعذّر على الخادم إعداد التقرير. حاول بعد قليل.',
    offlineAction: 'تعذّر الوصول إلى الخادم. لم يتغيّر شيء؛ حاول مرة أخرى عند عودة الاتصال.',
    noItem: '(بلا بند محدد)', addresses: 'البند المعني', statusLabel: 'الحالة', reopen: 'إعادة فتح', markDone: 'تم الإنجاز',
    addAction: 'إضافة إجراء',
    failedSummary: (items, answers) => `${arabicCount(items, { zero: 'بند', one: 'بند واحد', two: 'بندان', few: 'بنود', many: 'بنداً', other: 'بند' })} دون الدرجة الكاملة، ${arabicCount(answers, { zero: 'مرة', one: 'مرة واحدة', two: 'مرتان', few: 'مرات', many: 'مرة', other: 'مرة' })} إجمالاً.`,
    commentsN: (n) => arabicCount(n, { zero: 'تعليق', one: 'تعليق واحد', two: 'تعليقان', few: 'تعليقات', many: 'تعليقاً', other: 'تعليق' }),
    openVisit: 'افتح الزيارة', noComment: 'لا تعليق من المتسوق.', disputed: 'معترَض عليه', teams: 'الفرق', team: 'الفريق',
    teamLabel: 'الفريق', weakestItems: 'أضعف البنود', report: 'تقرير التوجيه', failed: 'لم يُستوفَ',
    axisNote: (lo, hi) => `الدرجة العادلة؛ يمتد المحور من ${lo} إلى ${hi} لا من الصفر، لتظهر التغيّرات.`,
    anonymous: 'لا يُعرض للفرع من قام بالزيارة أبداً.',
    scaleOf: (v, max) => `${v} من ${max}`, versionShort: (v) => `الإصدار ${num(v)}`, versionStatus: (v, status) => `الإصدار ${num(v)}: ${status}`,
    status_published: 'منشور', publishedOk: 'نُشر. تستخدم الزيارات الجديدة هذا الإصدار، وتحتفظ زيارات الإصدارات السابقة بدرجاتها.',
    openDraft: 'فتح المسودة', draftOpened: (v) => `مسودة الإصدار ${num(v)} كما حُفظت: راجعها في المعاينة ثم انشرها، أو نزّلها وعدّلها وارفعها من جديد لتحلّ محل المسودة.`,
    downloadJson: 'تنزيل المسودة (JSON)',
    resolutionReason: 'سبب قرارك (يقرؤه مدير الفرع)',
    disputeNeedsReason: 'اكتب سبب قرارك أولاً: سيقرؤه مدير الفرع.',
    disputeDecided: 'بُتّ في هذا الاعتراض من قبل. أعد تحميل القائمة لترى الاعتراضات المفتوحة.',
    disputeGone: 'هذا الاعتراض لم يعد موجوداً. أعد تحميل القائمة.',
    fullMarks: 'الدرجة الكاملة', shareOfVisits: (p) => `في ${p} من الزيارات`,
    belowFullN: (n, m) => `دون الدرجة الكاملة في ${num(n)} من ${num(m)} ${arabicForm(m, { zero: 'زيارة', one: 'زيارة', two: 'زيارتين', few: 'زيارات', many: 'زيارة', other: 'زيارة' })}`,
    partialNote: 'المحسوب هنا: الزيارات التي لم ينل فيها البند درجته الكاملة. بعضها نال جزءاً من نقاطه (٣ على مقياس من ١ إلى ٥، أو خيار من اثنين)، وتُظهر كل زيارة أدناه ما نالته. و«الدرجة الكاملة» نسبة الزيارات التي نال فيها البند نقاطه كلها.',
    partialScore: (p) => `نال ${p} من نقاط البند`, noPoints: 'بلا نقاط',
    moreItems: (n) => `بنود أخرى دون الدرجة الكاملة: ${num(n)}`,
  },
};

// The administrator's screens and one's own account (admin.js).
Object.assign(STRINGS.en, {
  adminNav: 'Administration', adminOrg: 'Organisation', adminUsers: 'Users', adminImport: 'Import', adminAudit: 'Audit log',
  myAccount: 'My account', account: 'Account', regions: 'Regions', branchesCol: 'Branches', region: 'Region', code: 'Code',
  codeHint: 'Letters, digits, “.”, “_” and “-”; starts with a letter or digit.',
  nameEn: 'Name in English', nameAr: 'Name in Arabic', cityEn: 'City in English', cityAr: 'City in Arabic',
  coordinates: 'Coordinates', latitude: 'Latitude', longitude: 'Longitude', bothCoordinates: 'Give both latitude and longitude, or neither.',
  newRegion: 'New region', newBranch: 'New branch', newTeam: 'New team', addTeam: 'Add team', noRegions: 'No regions yet.',
  noTeams: 'This branch has no teams yet.', teamsAfterSave: 'Teams can be added once the branch is saved.',
  allRegions: 'All regions', search: 'Search', save: 'Save', delete: 'Delete', notValid: 'Not valid.',
  branchesN: (n) => (n === 1 ? '1 branch' : `${num(n)} branches`), shownOf: (a, b) => `Showing ${num(a)} of ${num(b)}; narrow the search.`,
  deleteRegionQ: (code) => `Delete the region ${code}? This cannot be undone.`,
  deleteBranchQ: (code) => `Delete the branch ${code} and its teams? This cannot be undone.`,
  deleteTeamQ: (key) => `Delete the team ${key}?`,
  role: 'Role', status: 'Status', scopes: 'Scopes', active: 'Active', inactive: 'Deactivated', allRoles: 'All roles', anyStatus: 'Any status',
  role_admin: 'Administrator', role_qa: 'Quality team', role_manager: 'Manager', role_shopper: 'Shopper',
  scope_region: 'Region', scope_branch: 'Branch', scope_team: 'Team', scopeKind: 'Scope kind', scopeTarget: 'Limited to',
  scopesHint: 'A manager sees only the regions, branches and teams listed here.', addScope: 'Add scope', removeScope: 'Remove',
  usersN: (n) => (n === 1 ? '1 user' : `${num(n)} users`), newUser: 'New user', createUser: 'Create user', openUser: 'Open the user',
  initialPassword: 'Password (optional)', initialPasswordHint: 'Leave empty to have one generated and shown once.',
  userCreated: (email) => `${email} was created.`, passwordOnce: 'The password, shown only this once. Hand it over in person; the user changes it under My account.',
  copy: 'Copy', deactivate: 'Deactivate', activate: 'Reactivate', deactivateQ: (email) => `Deactivate ${email}? They are signed out and cannot sign in until reactivated.`,
  resetPassword: 'Reset password', resetHint: 'Type a one-time password, or leave empty to have one generated and shown once. The user is signed out everywhere.',
  setPassword: 'Set password', passwordSet: 'The password was set. The user is signed out everywhere.',
  importBranches: 'Branches', importUsers: 'Users',
  importBranchesHint: 'A CSV or XLSX with the columns code, name_en, name_ar, region_code, lat, lon, teams. Rows are matched by code.',
  importUsersHint: 'A CSV or XLSX with the columns email, name, role, scope_kind, scope_code, language. Rows are matched by e-mail.',
  templates: 'Templates:', templateAr: 'Arabic template', templateEn: 'English template', spreadsheet: 'Spreadsheet (CSV or XLSX)',
  checkFile: 'Check the file', applyImport: 'Apply', checking: 'Checking…', chooseFile: 'Choose a file first.',
  willCreate: (n) => `To create: ${num(n)}`, willUpdate: (n) => `To update: ${num(n)}`, created: (n) => `Created: ${num(n)}`,
  updated: (n) => `Updated: ${num(n)}`, unchangedN: (n) => `Unchanged: ${num(n)}`, newRegions: (codes) => `New regions: ${codes}`,
  fixProblems: (n) => (n === 1 ? '1 problem: fix it in the file and check again. Nothing was saved.' : `${num(n)} problems: fix them in the file and check again. Nothing was saved.`),
  nothingToChange: 'Nothing to change: the organisation already matches the file.', readyToApply: 'No problems. Apply to save these changes.',
  importDone: 'Imported.', problemsCaption: 'Problems by sheet, row and column', sheet: 'Sheet', row: 'Row', column: 'Column', problem: 'Problem',
  actor: 'Who', anyone: 'Anyone', entity: 'Record', anything: 'Any record', since: 'From', until: 'To', filter: 'Show', more: 'More',
  when: 'When', id: 'Id', details: 'Details', entriesN: (n) => (n === 1 ? '1 entry' : `${num(n)} entries`),
  entity_user: 'User', entity_region: 'Region', entity_branch: 'Branch', entity_team: 'Team', entity_checklist: 'Checklist',
  entity_campaign: 'Campaign', entity_assignment: 'Assignment', entity_visit: 'Visit', entity_dispute: 'Dispute',
  entity_action_item: 'Action item', entity_attachment: 'Photo', entity_shopper_bar: 'Shopper bar', entity_access_token: 'Access token',
  changePassword: 'Change password', currentPassword: 'Current password', newPassword: 'New password', repeatPassword: 'New password again',
  passwordPolicy: 'At least 10 characters. Your other sessions are signed out.', passwordsDiffer: 'The two new passwords differ.',
  passwordChanged: 'Your password was changed. Other sessions were signed out.',
  forgotPassword: 'Forgot your password?', forgotTitle: 'Reset your password',
  forgotHint: 'Type the e-mail address of your account. We send it a link that sets a new password; the link works once, for a short time.',
  sendLink: 'Send the link', resetSent: 'If the address has an account, a link is on its way. Check your e-mail, and its spam folder.',
  backToSignIn: 'Back to sign in', setNewPassword: 'Choose a new password', saveNewPassword: 'Set the password',
  resetPolicy: 'At least 10 characters. Wherever you are signed in, you are signed out.',
  passwordResetDone: 'Your password was set. Sign in with it.', askNewLink: 'Ask for a new link',
  offlineAction: 'No connection: this needs the server.',
  inviteByMail: 'Invite by e-mail instead: the user chooses their own password through a link (the server must send e-mail).',
  invitationSent: (email) => `An invitation is on its way to ${email}; its link works once, for 7 days by default.`,
  inviteImported: 'Send each new account an invitation letter: its link sets the password (the server must send e-mail).',
  invitedN: (n) => (n === 1 ? '1 invitation letter on its way' : `${num(n)} invitation letters on their way`),
});
Object.assign(STRINGS.ar, {
  adminNav: 'الإدارة', adminOrg: 'المؤسسة', adminUsers: 'المستخدمون', adminImport: 'الاستيراد', adminAudit: 'سجل التدقيق',
  myAccount: 'حسابي', account: 'الحساب', regions: 'المناطق', branchesCol: 'الفروع', region: 'المنطقة', code: 'الرمز',
  codeHint: 'حروف وأرقام و«.» و«_» و«-»، ويبدأ بحرف أو رقم.',
  nameEn: 'الاسم بالإنجليزية', nameAr: 'الاسم بالعربية', cityEn: 'المدينة بالإنجليزية', cityAr: 'المدينة بالعربية',
  coordinates: 'الإحداثيات', latitude: 'خط العرض', longitude: 'خط الطول', bothCoordinates: 'اكتب خط العرض وخط الطول معاً أو اتركهما فارغين.',
  newRegion: 'منطقة جديدة', newBranch: 'فرع جديد', newTeam: 'فريق جديد', addTeam: 'أضف الفريق', noRegions: 'لا مناطق بعد.',
  noTeams: 'لا فرق في هذا الفرع بعد.', teamsAfterSave: 'تضاف الفرق بعد حفظ الفرع.',
  allRegions: 'كل المناطق', search: 'بحث', save: 'احفظ', delete: 'احذف', notValid: 'غير صالح.',
  branchesN: (n) => arabicCount(n, { zero: 'فرع', one: 'فرع واحد', two: 'فرعان', few: 'فروع', many: 'فرعاً', other: 'فرع' }),
  shownOf: (a, b) => `يظهر ${num(a)} من ${num(b)}؛ ضيّق البحث.`,
  deleteRegionQ: (code) => `أتحذف المنطقة ${code}؟ لا يمكن التراجع.`,
  deleteBranchQ: (code) => `أتحذف الفرع ${code} وفرقه؟ لا يمكن التراجع.`,
  deleteTeamQ: (key) => `أتحذف الفريق ${key}؟`,
  role: 'الدور', status: 'الحالة', scopes: 'النطاقات', active: 'نشط', inactive: 'معطّل', allRoles: 'كل الأدوار', anyStatus: 'أي حالة',
  role_admin: 'مسؤول النظام', role_qa: 'فريق الجودة', role_manager: 'مدير', role_shopper: 'متسوق',
  scope_region: 'منطقة', scope_branch: 'فرع', scope_team: 'فريق', scopeKind: 'نوع النطاق', scopeTarget: 'محصور في',
  scopesHint: 'يرى المدير المناطق والفروع والفرق المذكورة هنا فقط.', addScope: 'أضف نطاقاً', removeScope: 'أزل',
  usersN: (n) => arabicCount(n, { zero: 'مستخدم', one: 'مستخدم واحد', two: 'مستخدمان', few: 'مستخدمين', many: 'مستخدماً', other: 'مستخدم' }),
  newUser: 'مستخدم جديد', createUser: 'أنشئ المستخدم', openUser: 'افتح المستخدم',
  initialPassword: 'كلمة المرور (اختياري)', initialPasswordHint: 'اتركها فارغة لتُولَّد كلمة مرور تُعرض مرة واحدة.',
  userCreated: (email) => `أُنشئ ${email}.`, passwordOnce: 'كلمة المرور، تُعرض هذه المرة فقط. سلّمها بنفسك؛ ويغيّرها المستخدم من «حسابي».',
  copy: 'انسخ', deactivate: 'عطّل الحساب', activate: 'أعد التفعيل', deactivateQ: (email) => `أتعطّل ${email}؟ يُسجَّل خروجه ولا يستطيع الدخول حتى يعاد تفعيله.`,
  resetPassword: 'إعادة تعيين كلمة المرور', resetHint: 'اكتب كلمة مرور لمرة واحدة، أو اتركها فارغة لتُولَّد وتُعرض مرة واحدة. يُسجَّل خروج المستخدم من كل مكان.',
  setPassword: 'عيّن كلمة المرور', passwordSet: 'عُيّنت كلمة المرور. سُجّل خروج المستخدم من كل مكان.',
  importBranches: 'الفروع', importUsers: 'المستخدمون',
  importBranchesHint: 'ملف CSV أو XLSX بالأعمدة code وname_en وname_ar وregion_code وlat وlon وteams. تطابق الصفوف بالرمز.',
  importUsersHint: 'ملف CSV أو XLSX بالأعمدة email وname وrole وscope_kind وscope_code وlanguage. تطابق الصفوف بالبريد الإلكتروني.',
  templates: 'القوالب:', templateAr: 'القالب العربي', templateEn: 'القالب الإنجليزي', spreadsheet: 'جدول البيانات (CSV أو XLSX)',
  checkFile: 'افحص الملف', applyImport: 'طبّق', checking: 'جارٍ الفحص…', chooseFile: 'اختر ملفاً أولاً.',
  willCreate: (n) => `سيُنشأ: ${num(n)}`, willUpdate: (n) => `سيُحدَّث: ${num(n)}`, created: (n) => `أُنشئ: ${num(n)}`,
  updated: (n) => `حُدّث: ${num(n)}`, unchangedN: (n) => `بلا تغيير: ${num(n)}`, newRegions: (codes) => `مناطق جديدة: ${codes}`,
  fixProblems: (n) => `${arabicCount(n, { zero: 'مشكلة', one: 'مشكلة واحدة', two: 'مشكلتان', few: 'مشكلات', many: 'مشكلةً', other: 'مشكلة' })}: أصلحها في الملف وافحصه من جديد. لم يُحفظ شيء.`,
  nothingToChange: 'لا شيء يتغير: المؤسسة مطابقة للملف.', readyToApply: 'لا مشكلات. طبّق لحفظ هذه التغييرات.',
  importDone: 'تم الاستيراد.', problemsCaption: 'المشكلات حسب الورقة والصف والعمود', sheet: 'الورقة', row: 'الصف', column: 'العمود', problem: 'المشكلة',
  actor: 'من', anyone: 'أي شخص', entity: 'السجل', anything: 'أي سجل', since: 'من تاريخ', until: 'إلى تاريخ', filter: 'اعرض', more: 'المزيد',
  when: 'متى', id: 'المعرّف', details: 'التفاصيل',
  entriesN: (n) => arabicCount(n, { zero: 'قيد', one: 'قيد واحد', two: 'قيدان', few: 'قيود', many: 'قيداً', other: 'قيد' }),
  entity_user: 'مستخدم', entity_region: 'منطقة', entity_branch: 'فرع', entity_team: 'فريق', entity_checklist: 'قائمة تحقق',
  entity_campaign: 'حملة', entity_assignment: 'مهمة', entity_visit: 'زيارة', entity_dispute: 'اعتراض',
  entity_action_item: 'بند خطة عمل', entity_attachment: 'صورة', entity_shopper_bar: 'منع متسوق', entity_access_token: 'رمز وصول',
  changePassword: 'غيّر كلمة المرور', currentPassword: 'كلمة المرور الحالية', newPassword: 'كلمة المرور الجديدة', repeatPassword: 'كلمة المرور الجديدة مرة أخرى',
  passwordPolicy: '١٠ أحرف على الأقل. يُسجَّل خروج جلساتك الأخرى.', passwordsDiffer: 'كلمتا المرور الجديدتان مختلفتان.',
  passwordChanged: 'تغيّرت كلمة مرورك. سُجّل خروج الجلسات الأخرى.',
  forgotPassword: 'نسيت كلمة المرور؟', forgotTitle: 'إعادة تعيين كلمة المرور',
  forgotHint: 'اكتب البريد الإلكتروني لحسابك. نرسل إليه رابطا يعيّن كلمة مرور جديدة؛ يعمل الرابط مرة واحدة ولوقت قصير.',
  sendLink: 'أرسل الرابط', resetSent: 'إن كان للعنوان حساب فالرابط في طريقه إليه. راجع بريدك، ومجلد الرسائل غير المرغوب فيها.',
  backToSignIn: 'العودة إلى تسجيل الدخول', setNewPassword: 'اختر كلمة مرور جديدة', saveNewPassword: 'عيّن كلمة المرور',
  resetPolicy: '١٠ أحرف على الأقل. يُسجَّل خروجك من كل مكان سجّلت فيه الدخول.',
  passwordResetDone: 'عُيّنت كلمة مرورك. سجّل الدخول بها.', askNewLink: 'اطلب رابطا جديدا',
  offlineAction: 'لا اتصال: هذا يحتاج إلى الخادم.',
  inviteByMail: 'ادعُ بالبريد بدلا من ذلك: يختار المستخدم كلمة مروره بنفسه عبر رابط (يجب أن يرسل الخادم البريد).',
  invitationSent: (email) => `الدعوة في طريقها إلى ${email}؛ يعمل رابطها مرة واحدة، لسبعة أيام افتراضيا.`,
  inviteImported: 'أرسل إلى كل حساب جديد رسالة دعوة: يعيّن رابطها كلمة المرور (يجب أن يرسل الخادم البريد).',
  invitedN: (n) => `${arabicCount(n, { zero: 'رسالة دعوة', one: 'رسالة دعوة واحدة', two: 'رسالتا دعوة', few: 'رسائل دعوة', many: 'رسالة دعوة', other: 'رسالة دعوة' })} في الطريق`,
});

// The functions that own checklist items (a checklist's `owner`), as the PDF report names them
// (locales/*/report.ftl, `owner-*`; a unit test keeps the two lists the same). The vocabulary
// is open: an owner not listed here is shown as written.
Object.assign(STRINGS.en, {
  owner_operations: 'Operations', owner_training: 'Training', owner_facilities: 'Facilities', owner_it: 'IT',
  owner_product: 'Product', owner_policy: 'Policy', owner_compliance: 'Compliance', owner_marketing: 'Marketing',
  owner_hr: 'Human resources', owner_security: 'Security',
});
Object.assign(STRINGS.ar, {
  owner_operations: 'العمليات', owner_training: 'التدريب', owner_facilities: 'المرافق', owner_it: 'تقنية المعلومات',
  owner_product: 'المنتجات', owner_policy: 'السياسات', owner_compliance: 'الالتزام', owner_marketing: 'التسويق',
  owner_hr: 'الموارد البشرية', owner_security: 'الأمن',
});

// Critical failures, overdue actions, QA's review and disputes, forms kept over a new sign-in (issue 14w).
Object.assign(STRINGS.en, {
  criticalFailed: 'Critical items failed', otherFailed: 'Other items below full marks',
  overdueDays: (n) => (n <= 0 ? 'Overdue' : `Overdue by ${num(n)} ${n === 1 ? 'day' : 'days'}`),
  visitAt: (code, day) => `Visit · ${code} · ${day}`,
  visitScore: 'Visit score', criticalFailsVisit: 'A critical item failed: this score already applies the checklist’s rule for critical items.',
  failedN: (n) => `${num(n)} ${n === 1 ? 'item' : 'items'} below full marks`,
  approvedBranch: (code) => `Approved: the visit to ${code}.`, returnedBranch: (code) => `Returned to the shopper: the visit to ${code}.`,
  rejectedBranch: (code) => `Rejected: the visit to ${code}.`,
  qaSaidBefore: (n) => `Your comment when returning revision ${num(n)}`, qaNoteBefore: (n) => `Your note when returning revision ${num(n)}`,
  comparedWith: (a, b) => `Revision ${num(a)} against revision ${num(b)}`, nowCol: 'Now', beforeCol: 'Before',
  flagGone: 'no longer flagged', flagNew: 'new', noFlagsShort: 'none',
  photosBefore: 'Photos before', photosNow: 'Photos now',
  openAtItem: 'Open the visit at this item', shopperComment: 'Shopper\'s comment', itemPhotos: 'Photos of this item',
  overturnConfirm: 'Overturn the result? The item will count as not applicable for this visit, and the branch\'s scores change.',
  showOpen: 'Open', showResolved: 'Resolved', showAll: 'All', disputesShown: 'Show',
  disputeResolved: (code, outcome) => `Decided (${outcome}): the dispute from ${code}.`,
  fieldRequired: 'Fill in this field.', fieldRequiredDate: 'Choose a date.',
  formRestored: 'What you had typed before your session ended is filled in again. Check it and send it.',
});
Object.assign(STRINGS.ar, {
  criticalFailed: 'بنود حرجة لم تُستوفَ', otherFailed: 'بنود أخرى دون الدرجة الكاملة',
  overdueDays: (n) => (n <= 0 ? 'متأخر' : `متأخر ${arabicCount(n, { zero: 'يوم', one: 'يوماً واحداً', two: 'يومين', few: 'أيام', many: 'يوماً', other: 'يوم' })}`),
  visitAt: (code, day) => `زيارة · \u2068${code}\u2069 · ${day}`,
  visitScore: 'درجة الزيارة', criticalFailsVisit: 'لم يُستوفَ بند حرج: طُبّقت على هذه الدرجة قاعدة البنود الحرجة في قائمة التحقق.',
  failedN: (n) => `${arabicCount(n, { zero: 'بند', one: 'بند واحد', two: 'بندان', few: 'بنود', many: 'بنداً', other: 'بند' })} دون الدرجة الكاملة`,
  approvedBranch: (code) => `اعتُمدت زيارة الفرع \u2068${code}\u2069.`, returnedBranch: (code) => `أُعيدت زيارة الفرع \u2068${code}\u2069 إلى المتسوق.`,
  rejectedBranch: (code) => `رُفضت زيارة الفرع \u2068${code}\u2069.`,
  qaSaidBefore: (n) => `تعليقك عند إعادة المراجعة ${num(n)}`, qaNoteBefore: (n) => `ملاحظتك عند إعادة المراجعة ${num(n)}`,
  comparedWith: (a, b) => `المراجعة ${num(a)} مقارنة بالمراجعة ${num(b)}`, nowCol: 'الآن', beforeCol: 'قبل',
  flagGone: 'لم يعد مؤشراً', flagNew: 'جديد', noFlagsShort: 'لا شيء',
  photosBefore: 'الصور قبل', photosNow: 'الصور الآن',
  openAtItem: 'افتح الزيارة عند هذا البند', shopperComment: 'تعليق المتسوق', itemPhotos: 'صور هذا البند',
  overturnConfirm: 'هل تريد نقض التقييم؟ سيُحتسب البند «لا ينطبق» في هذه الزيارة وتتغيّر درجات الفرع.',
  showOpen: 'المفتوحة', showResolved: 'المبتوت فيها', showAll: 'الكل', disputesShown: 'اعرض',
  disputeResolved: (code, outcome) => `بُتّ في اعتراض الفرع \u2068${code}\u2069 (${outcome}).`,
  fieldRequired: 'املأ هذا الحقل.', fieldRequiredDate: 'اختر تاريخاً.',
  formRestored: 'ما كتبته قبل انتهاء جلستك أُعيد إلى الحقول. راجعه ثم أرسله.',
});

// Campaign planning (campaigns.js, issue 19): scenarios and their briefs, branches by region and
// team, the progress board, single assignment and reassignment, rotation rules and bars.
Object.assign(STRINGS.en, {
  planning: 'Campaign planning', campaignList: 'Campaigns', rotationAndBars: 'Rotation and bars',
  noCampaigns: 'No campaigns yet.', checklist: 'Checklist', dates: 'Dates', assignmentsCol: 'Assignments', approvedCol: 'Approved',
  scenarios: 'Scenarios', scenarioN: (n) => `Scenario ${num(n)}`, scenarioCode: 'Scenario code', briefAr: 'Brief in Arabic', briefEn: 'Brief in English',
  removeScenario: 'Remove this scenario', addScenario: 'Add a scenario', scenarioBrief: 'Brief',
  scenariosHint: 'Each visit plays one scenario, handed out in turn. The shopper reads the brief in their own language: write it in both.',
  anyTeam: 'Any team', onlyWithTeam: 'Only branches with the team', teamHint: 'Keeps the choice to branches that have this team.',
  wholeRegion: 'Whole region', selectedOf: (a, b) => `${num(a)} of ${num(b)} selected`,
  branchesSelected: (n) => (n === 1 ? '1 branch selected' : `${num(n)} branches selected`),
  noBranches: 'No branches yet: an administrator adds them first.',
  publishFirst: 'No checklist is published yet: publish one under Checklists first.',
  publishedOnly: 'Published versions only; every visit of the campaign fills this version.',
  visitsPerBranchHint: '1 to 100. The campaign’s days are split into this many windows, one visit to each branch in each.',
  createAndAssign: 'Create and assign the visits', saving: 'Saving…',
  campaignSaved: 'The campaign was saved, but its visits were not assigned:', openBoard: 'Open the progress board',
  assignedN: (n) => (n === 1 ? '1 visit assigned' : `${num(n)} visits assigned`),
  unfilledN: (n) => (n === 1 ? '1 visit could not be staffed' : `${num(n)} visits could not be staffed`),
  fillOpen: (n) => (n === 1 ? 'Assign the 1 open visit' : `Assign the ${num(n)} open visits`),
  unfilledCaption: 'Visits nobody could take, and why', windowFrom: 'From', windowUntil: 'Until',
  progressBoard: 'Progress', overdue: 'Overdue', overdueN: (n) => `${num(n)} overdue`,
  overdueHint: 'Overdue: the window has ended and the visit is still offered or accepted (not submitted).',
  asOf: (s) => `Counted ${s}.`, countAgain: 'Count again', byBranch: 'By branch', byShopper: 'By shopper', noAssignmentsYet: 'No assignments yet.',
  noBrief: 'No brief.', actionsCol: 'Actions', chooseShopper: 'Choose a shopper', chooseShopperFirst: 'Choose the shopper to give the visit to.',
  reassign: 'Reassign', reassignTo: (code) => `Reassign the visit to ${code} to`,
  reassignedTo: (code, name) => `The visit to ${code} was given to ${name}.`,
  withdraw: 'Withdraw', withdrawQ: (code, name) => `Withdraw the visit to ${code} from ${name}? It is cancelled and leaves their list.`,
  withdrawn: (code) => `The visit to ${code} was withdrawn.`,
  singleAssignment: 'Assign one visit', chooseBranch: 'Choose a branch', wholeBranch: 'The whole branch', noScenario: 'No scenario', assign: 'Assign',
  assignedTo: (code, name) => `The visit to ${code} was assigned to ${name}.`,
  rotationRules: 'Rotation rules', revisitDays: 'Days before a shopper may visit the same branch again',
  revisitHint: '0 to 3650; 0 means no rule. It applies to assignments made from now on.',
  rotationSaved: (n) => (n === 0 ? 'Saved: no revisit rule.' : `Saved: ${num(n)} ${n === 1 ? 'day' : 'days'} between visits to one branch.`),
  shopperBars: 'Shopper bars', barsHint: 'A barred shopper is never assigned to that branch (a relative works there, a former employee).',
  barredFrom: 'Barred from', noBars: 'This shopper is not barred from any branch.', lift: 'Lift the bar', liftQ: (code) => `Lift the bar on ${code}?`,
  barLifted: (code) => `The bar on ${code} was lifted.`, addBar: 'Bar from a branch',
  barReasonHint: 'At most 500 characters. It is shown when a visit cannot be assigned because of it.',
  barAdded: (code) => `Barred from ${code}.`,
});
Object.assign(STRINGS.ar, {
  planning: 'تخطيط الحملات', campaignList: 'الحملات', rotationAndBars: 'التناوب والمنع',
  noCampaigns: 'لا حملات بعد.', checklist: 'قائمة التحقق', dates: 'التواريخ', assignmentsCol: 'المهام', approvedCol: 'المعتمدة',
  scenarios: 'السيناريوهات', scenarioN: (n) => `السيناريو ${num(n)}`, scenarioCode: 'رمز السيناريو', briefAr: 'الموجز بالعربية', briefEn: 'الموجز بالإنجليزية',
  removeScenario: 'احذف هذا السيناريو', addScenario: 'أضف سيناريو', scenarioBrief: 'الموجز',
  scenariosHint: 'تؤدي كل زيارة سيناريو واحداً، توزَّع بالتناوب. يقرأ المتسوق الموجز بلغته، فاكتبه باللغتين.',
  anyTeam: 'أي فريق', onlyWithTeam: 'الفروع التي فيها الفريق فقط', teamHint: 'يحصر الاختيار في الفروع التي فيها هذا الفريق.',
  wholeRegion: 'المنطقة كلها', selectedOf: (a, b) => `اختير ${num(a)} من ${num(b)}`,
  branchesSelected: (n) => `المختار: ${arabicCount(n, { zero: 'فرع', one: 'فرع واحد', two: 'فرعان', few: 'فروع', many: 'فرعاً', other: 'فرع' })}`,
  noBranches: 'لا فروع بعد: يضيفها مسؤول النظام أولاً.',
  publishFirst: 'لم تُنشر أي قائمة تحقق بعد: انشر واحدة من «قوائم التحقق» أولاً.',
  publishedOnly: 'الإصدارات المنشورة فقط؛ تملأ كل زيارات الحملة هذا الإصدار.',
  visitsPerBranchHint: 'من ١ إلى ١٠٠. تُقسَم أيام الحملة إلى هذا العدد من الفترات، وفي كل فترة زيارة لكل فرع.',
  createAndAssign: 'أنشئ الحملة ووزّع الزيارات', saving: 'جارٍ الحفظ…',
  campaignSaved: 'حُفظت الحملة، لكن لم تُوزَّع زياراتها:', openBoard: 'افتح لوحة التقدم',
  assignedN: (n) => `وُزّعت ${arabicCount(n, { zero: 'زيارة', one: 'زيارة واحدة', two: 'زيارتان', few: 'زيارات', many: 'زيارة', other: 'زيارة' })}`,
  unfilledN: (n) => `تعذّر إسناد ${arabicCount(n, { zero: 'زيارة', one: 'زيارة واحدة', two: 'زيارتين', few: 'زيارات', many: 'زيارة', other: 'زيارة' })}`,
  fillOpen: (n) => `أسند ${arabicCount(n, { zero: 'زيارة مفتوحة', one: 'الزيارة المفتوحة', two: 'الزيارتين المفتوحتين', few: 'زيارات مفتوحة', many: 'زيارة مفتوحة', other: 'زيارة مفتوحة' })}`,
  unfilledCaption: 'زيارات لم يأخذها أحد، وسبب ذلك', windowFrom: 'من', windowUntil: 'إلى',
  progressBoard: 'التقدم', overdue: 'متأخرة', overdueN: (n) => `متأخرة: ${num(n)}`,
  overdueHint: 'المتأخرة: انتهت فترتها والزيارة ما زالت معروضة أو مقبولة (لم تُرسَل).',
  asOf: (s) => `حُسبت في ${s}.`, countAgain: 'أعد العدّ', byBranch: 'حسب الفرع', byShopper: 'حسب المتسوق', noAssignmentsYet: 'لا مهام بعد.',
  noBrief: 'بلا موجز.', actionsCol: 'الإجراءات', chooseShopper: 'اختر متسوقاً', chooseShopperFirst: 'اختر المتسوق الذي تُسند إليه الزيارة.',
  reassign: 'أعد الإسناد', reassignTo: (code) => `أعد إسناد زيارة الفرع \u2068${code}\u2069 إلى`,
  reassignedTo: (code, name) => `أُسندت زيارة الفرع \u2068${code}\u2069 إلى \u2068${name}\u2069.`,
  withdraw: 'اسحب', withdrawQ: (code, name) => `أتسحب زيارة الفرع \u2068${code}\u2069 من \u2068${name}\u2069؟ تُلغى وتختفي من قائمته.`,
  withdrawn: (code) => `سُحبت زيارة الفرع \u2068${code}\u2069.`,
  singleAssignment: 'أسند زيارة واحدة', chooseBranch: 'اختر فرعاً', wholeBranch: 'الفرع كله', noScenario: 'بلا سيناريو', assign: 'أسند',
  assignedTo: (code, name) => `أُسندت زيارة الفرع \u2068${code}\u2069 إلى \u2068${name}\u2069.`,
  rotationRules: 'قواعد التناوب', revisitDays: 'عدد الأيام قبل أن يزور المتسوق الفرع نفسه مرة أخرى',
  revisitHint: 'من ٠ إلى ٣٦٥٠؛ ٠ يعني بلا قاعدة. تسري على المهام التي تُنشأ من الآن.',
  rotationSaved: (n) => (n === 0 ? 'حُفظ: بلا قاعدة لتكرار الزيارة.' : `حُفظ: ${arabicCount(n, { zero: 'يوم', one: 'يوم واحد', two: 'يومان', few: 'أيام', many: 'يوماً', other: 'يوم' })} بين زيارتين للفرع نفسه.`),
  shopperBars: 'منع المتسوقين', barsHint: 'لا يُسند إلى المتسوق الممنوع أي زيارة لذلك الفرع (قريب يعمل فيه، موظف سابق).',
  barredFrom: 'ممنوع من', noBars: 'هذا المتسوق غير ممنوع من أي فرع.', lift: 'ارفع المنع', liftQ: (code) => `أترفع المنع عن الفرع \u2068${code}\u2069؟`,
  barLifted: (code) => `رُفع المنع عن الفرع \u2068${code}\u2069.`, addBar: 'امنع من فرع',
  barReasonHint: '٥٠٠ حرف على الأكثر. يظهر حين يتعذّر إسناد زيارة بسببه.',
  barAdded: (code) => `مُنع من الفرع \u2068${code}\u2069.`,
});

/** Every interface string, by language (a test checks both languages have every key). */
export const MESSAGES = STRINGS;

// Arabic counts take one of six plural forms (CLDR: zero, one, two, few, many, other); "one" and
// "two" are said without the number (ثانية واحدة، ثانيتان).
let arabicPlural;
function arabicCount(n, forms) {
  arabicPlural ??= new Intl.PluralRules('ar');
  const form = arabicPlural.select(n);
  return form === 'one' || form === 'two' ? forms[form] : `${num(n)} ${forms[form]}`;
}

/** The CLDR plural form's word for `n`, for counts written with their number (decimals too). */
function arabicForm(n, forms) {
  arabicPlural ??= new Intl.PluralRules('ar');
  return forms[arabicPlural.select(n)];
}

const KEY = 'sirr.lang';

/** The saved choice, else the browser's preferred languages (what it sends as Accept-Language). */
export function initialLang() {
  const saved = localStorage.getItem(KEY);
  if (saved === 'ar' || saved === 'en') return saved;
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const base = String(l).toLowerCase().split('-')[0];
    if (base === 'ar' || base === 'en') return base;
  }
  return 'en';
}

let current = 'en';
let numberFmt;
let dateFmt;
let dateTimeFmt;

export function setLang(lang, save = false) {
  current = lang === 'ar' ? 'ar' : 'en';
  if (save) localStorage.setItem(KEY, current);
  const root = document.documentElement;
  root.lang = current;
  root.dir = current === 'ar' ? 'rtl' : 'ltr';
  // Arabic digits per the Arabic locale (ar-SA uses Arabic-Indic digits); dates in Gregorian
  // so that they match what QA and the PDF show.
  const locale = current === 'ar' ? 'ar-SA-u-ca-gregory' : 'en-GB';
  numberFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  dateFmt = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' });
  dateTimeFmt = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export const lang = () => current;

/** An interface string. */
export function t(key, ...args) {
  const v = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
}

/** The name of a known owning function (`training` → Training / التدريب), else null: the
 * caller shows an unknown owner as written, in a `<bdi>`. */
export function ownerLabel(owner) {
  const key = `owner_${String(owner ?? '').trim().toLowerCase()}`;
  return STRINGS[current][key] ?? STRINGS.en[key] ?? null;
}

/** A checklist or organisation text ({en, ar}) in the current language, else any. */
export function tx(names) {
  if (!names) return '';
  if (typeof names === 'string') return names;
  return names[current] || names.en || Object.values(names)[0] || '';
}

export const num = (n) => (n === null || n === undefined ? '—' : numberFmt.format(n));
export const pct = (f) => (f === null || f === undefined ? '—' : `${numberFmt.format(f * 100)}%`);
export const date = (s) => (s ? dateFmt.format(new Date(s)) : '—');
export const dateTime = (s) => (s ? dateTimeFmt.format(new Date(s)) : '—');
