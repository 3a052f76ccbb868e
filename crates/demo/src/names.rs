//! Built-in names: Saudi regions, their cities and districts (English and Arabic), team names,
//! scenarios, and shoppers' comments.

/// A district of a city: the branch takes its name from it.
pub(crate) struct District {
    pub en: &'static str,
    pub ar: &'static str,
}

/// A city with its centre and districts.
pub(crate) struct City {
    pub en: &'static str,
    pub ar: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub districts: &'static [District],
}

/// A built-in region.
pub(crate) struct Region {
    pub code: &'static str,
    pub en: &'static str,
    pub ar: &'static str,
    /// Relative size: share of branches and shoppers.
    pub size: f64,
    pub cities: &'static [City],
}

macro_rules! districts {
    ($(($en:literal, $ar:literal)),* $(,)?) => {
        &[$(District { en: $en, ar: $ar }),*]
    };
}

/// The built-in regions, in the order `regions` takes them (the largest first, roughly).
pub(crate) const REGIONS: &[Region] = &[
    Region {
        code: "RUH",
        en: "Riyadh",
        ar: "الرياض",
        size: 30.0,
        cities: &[City {
            en: "Riyadh",
            ar: "الرياض",
            lat: 24.7136,
            lon: 46.6753,
            districts: districts![
                ("Al Olaya", "العليا"),
                ("Al Malaz", "الملز"),
                ("Al Sulimaniyah", "السليمانية"),
                ("Al Naseem", "النسيم"),
                ("Al Rawdah", "الروضة"),
                ("Hittin", "حطين"),
                ("Al Yasmin", "الياسمين"),
                ("Al Nakheel", "النخيل"),
                ("Al Murabba", "المربع"),
                ("Al Shifa", "الشفا"),
                ("Al Aziziyah", "العزيزية"),
                ("Al Sahafa", "الصحافة"),
                ("Al Worood", "الورود"),
                ("Al Malqa", "الملقا"),
                ("Qurtubah", "قرطبة"),
                ("Al Suwaidi", "السويدي"),
                ("Al Wizarat", "الوزارات"),
                ("Al Muruj", "المروج"),
            ],
        }],
    },
    Region {
        code: "JED",
        en: "Jeddah",
        ar: "جدة",
        size: 20.0,
        cities: &[City {
            en: "Jeddah",
            ar: "جدة",
            lat: 21.5433,
            lon: 39.1728,
            districts: districts![
                ("Al Hamra", "الحمراء"),
                ("Al Rawdah", "الروضة"),
                ("Al Balad", "البلد"),
                ("Al Safa", "الصفا"),
                ("Al Zahra", "الزهراء"),
                ("Al Salamah", "السلامة"),
                ("Al Naeem", "النعيم"),
                ("Al Shati", "الشاطئ"),
                ("Al Faisaliyah", "الفيصلية"),
                ("Al Rehab", "الرحاب"),
                ("Obhur", "أبحر"),
                ("Al Marwah", "المروة"),
                ("Al Andalus", "الأندلس"),
                ("Al Aziziyah", "العزيزية"),
            ],
        }],
    },
    Region {
        code: "DMM",
        en: "Dammam",
        ar: "الدمام",
        size: 14.0,
        cities: &[
            City {
                en: "Dammam",
                ar: "الدمام",
                lat: 26.4207,
                lon: 50.0888,
                districts: districts![
                    ("Al Faisaliyah", "الفيصلية"),
                    ("Al Shati", "الشاطئ"),
                    ("Al Mazruiyah", "المزروعية"),
                    ("Al Adamah", "العدامة"),
                    ("Al Nakheel", "النخيل"),
                    ("Al Badiyah", "البادية"),
                ],
            },
            City {
                en: "Al Khobar",
                ar: "الخبر",
                lat: 26.2172,
                lon: 50.1971,
                districts: districts![
                    ("Al Olaya", "العليا"),
                    ("Al Thuqbah", "الثقبة"),
                    ("Al Rakah", "الراكة"),
                    ("Al Yarmouk", "اليرموك"),
                ],
            },
            City {
                en: "Dhahran",
                ar: "الظهران",
                lat: 26.2886,
                lon: 50.1140,
                districts: districts![("Al Dawhah", "الدوحة")],
            },
        ],
    },
    Region {
        code: "MED",
        en: "Madinah",
        ar: "المدينة المنورة",
        size: 8.0,
        cities: &[City {
            en: "Madinah",
            ar: "المدينة المنورة",
            lat: 24.4672,
            lon: 39.6112,
            districts: districts![
                ("Quba", "قباء"),
                ("Al Aziziyah", "العزيزية"),
                ("Al Khalidiyah", "الخالدية"),
                ("Al Iskan", "الإسكان"),
                ("Al Uyun", "العيون"),
                ("Sultanah", "سلطانة"),
                ("Al Anbariyah", "العنبرية"),
                ("Al Awali", "العوالي"),
            ],
        }],
    },
    Region {
        code: "MKH",
        en: "Makkah",
        ar: "مكة المكرمة",
        size: 10.0,
        cities: &[
            City {
                en: "Makkah",
                ar: "مكة المكرمة",
                lat: 21.3891,
                lon: 39.8579,
                districts: districts![
                    ("Al Aziziyah", "العزيزية"),
                    ("Al Shawqiyah", "الشوقية"),
                    ("Al Awali", "العوالي"),
                    ("Al Zahir", "الزاهر"),
                    ("Al Kakiyah", "الكعكية"),
                    ("Al Nuzhah", "النزهة"),
                    ("Al Rusayfah", "الرصيفة"),
                    ("Al Sharai", "الشرائع"),
                ],
            },
            City {
                en: "Taif",
                ar: "الطائف",
                lat: 21.2703,
                lon: 40.4158,
                districts: districts![
                    ("Shihar", "شهار"),
                    ("Al Hawiyah", "الحوية"),
                    ("Al Faisaliyah", "الفيصلية"),
                ],
            },
        ],
    },
    Region {
        code: "ABH",
        en: "Abha",
        ar: "أبها",
        size: 5.0,
        cities: &[
            City {
                en: "Abha",
                ar: "أبها",
                lat: 18.2164,
                lon: 42.5053,
                districts: districts![
                    ("Al Manhal", "المنهل"),
                    ("Al Khalidiyah", "الخالدية"),
                    ("Al Mansak", "المنسك"),
                    ("Al Muftaha", "المفتاحة"),
                ],
            },
            City {
                en: "Khamis Mushait",
                ar: "خميس مشيط",
                lat: 18.3060,
                lon: 42.7296,
                districts: districts![("Al Nahdah", "النهضة"), ("Al Aziziyah", "العزيزية")],
            },
        ],
    },
    Region {
        code: "TUU",
        en: "Tabuk",
        ar: "تبوك",
        size: 4.0,
        cities: &[City {
            en: "Tabuk",
            ar: "تبوك",
            lat: 28.3835,
            lon: 36.5662,
            districts: districts![
                ("Al Muruj", "المروج"),
                ("Al Faisaliyah", "الفيصلية"),
                ("Al Sulimaniyah", "السليمانية"),
                ("Al Rawdah", "الروضة"),
                ("Al Aziziyah", "العزيزية"),
                ("Al Worood", "الورود"),
                ("Al Rabwah", "الربوة"),
            ],
        }],
    },
    Region {
        code: "QSM",
        en: "Qassim",
        ar: "القصيم",
        size: 5.0,
        cities: &[
            City {
                en: "Buraydah",
                ar: "بريدة",
                lat: 26.3592,
                lon: 43.9818,
                districts: districts![
                    ("Al Safra", "الصفراء"),
                    ("Al Iskan", "الإسكان"),
                    ("Al Rayyan", "الريان"),
                    ("Al Nahdah", "النهضة"),
                    ("Al Khaleej", "الخليج"),
                ],
            },
            City {
                en: "Unaizah",
                ar: "عنيزة",
                lat: 26.0843,
                lon: 43.9935,
                districts: districts![("Al Faisaliyah", "الفيصلية"), ("Al Khalidiyah", "الخالدية")],
            },
        ],
    },
    Region {
        code: "HAS",
        en: "Al-Ahsa",
        ar: "الأحساء",
        size: 5.0,
        cities: &[
            City {
                en: "Al Hofuf",
                ar: "الهفوف",
                lat: 25.3833,
                lon: 49.5858,
                districts: districts![
                    ("Al Muhammadiyah", "المحمدية"),
                    ("Al Khalidiyah", "الخالدية"),
                    ("Al Naathel", "النعاثل"),
                ],
            },
            City {
                en: "Al Mubarraz",
                ar: "المبرز",
                lat: 25.4077,
                lon: 49.5903,
                districts: districts![("Al Iskan", "الإسكان"), ("Al Rashidiyah", "الراشدية")],
            },
        ],
    },
    Region {
        code: "JZN",
        en: "Jazan",
        ar: "جازان",
        size: 4.0,
        cities: &[
            City {
                en: "Jazan",
                ar: "جازان",
                lat: 16.8892,
                lon: 42.5511,
                districts: districts![
                    ("Al Rawdah", "الروضة"),
                    ("Al Safa", "الصفا"),
                    ("Al Shati", "الشاطئ"),
                    ("Al Suwais", "السويس"),
                    ("Al Matar", "المطار"),
                ],
            },
            City {
                en: "Sabya",
                ar: "صبيا",
                lat: 17.1495,
                lon: 42.6254,
                districts: districts![("Al Aziziyah", "العزيزية")],
            },
            City {
                en: "Abu Arish",
                ar: "أبو عريش",
                lat: 16.9690,
                lon: 42.8326,
                districts: districts![("Al Nahdah", "النهضة")],
            },
        ],
    },
];

/// The sector a checklist belongs to, by its key's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sector {
    Bank,
    Retail,
    Government,
    Other,
}

impl Sector {
    pub(crate) fn of(checklist_key: &str) -> Sector {
        if checklist_key.starts_with("bank-") {
            Sector::Bank
        } else if checklist_key.starts_with("retail-") {
            Sector::Retail
        } else if checklist_key.starts_with("government-") {
            Sector::Government
        } else {
            Sector::Other
        }
    }

    /// Team names, most common first (a branch with k teams has the first k).
    pub(crate) fn teams(self) -> [&'static str; 3] {
        match self {
            Sector::Bank => ["tellers", "customer-service", "sales"],
            Sector::Retail => ["cashiers", "floor", "fitting-rooms"],
            Sector::Government => ["reception", "service-desk", "waiting-area"],
            Sector::Other => ["front-desk", "back-office", "phone"],
        }
    }

    /// The Arabic name of a team code from [`Sector::teams`], for the demo's bilingual directory.
    pub(crate) fn team_ar(code: &str) -> Option<&'static str> {
        Some(match code {
            "tellers" => "الصرافون",
            "customer-service" => "خدمة العملاء",
            "sales" => "المبيعات",
            "cashiers" => "أمناء الصندوق",
            "floor" => "صالة العرض",
            "fitting-rooms" => "غرف القياس",
            "reception" => "الاستقبال",
            "service-desk" => "مكتب الخدمة",
            "waiting-area" => "منطقة الانتظار",
            "front-desk" => "مكتب الاستقبال",
            "back-office" => "المكتب الخلفي",
            "phone" => "الهاتف",
            _ => return None,
        })
    }

    /// Scenarios with their sampling probability and raw (uncentred) effect.
    pub(crate) fn scenarios(self) -> [(&'static str, f64, f64); 3] {
        let names = match self {
            Sector::Bank => ["card-enquiry", "account-opening", "complaint"],
            Sector::Retail => ["purchase", "product-advice", "return"],
            Sector::Government => ["document-renewal", "enquiry", "new-application"],
            Sector::Other => ["standard-visit", "enquiry", "complaint"],
        };
        [
            (names[0], 0.5, 0.02),
            (names[1], 0.3, 0.0),
            (names[2], 0.2, -0.04),
        ]
    }
}

/// Weekday names, Sunday first (the Saudi working week is Sunday–Thursday).
pub(crate) const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
/// How often visits fall on each weekday (Friday and Saturday are the weekend).
pub(crate) const WEEKDAY_WEIGHT: [f64; 7] = [1.0, 1.0, 1.0, 1.0, 1.0, 0.4, 0.7];
/// Raw (uncentred) weekday effects: the end of the week and the weekend are busier.
pub(crate) const WEEKDAY_EFFECT: [f64; 7] = [0.01, 0.01, 0.005, 0.0, -0.01, -0.03, -0.02];

/// Hour bands of the local opening hours 08:00–21:59: name, first hour, last hour, raw effect.
pub(crate) const HOUR_BANDS: [(&str, u32, u32, f64); 4] = [
    ("morning", 8, 11, 0.02),
    ("midday-peak", 12, 13, -0.03),
    ("afternoon", 14, 16, 0.01),
    ("evening-peak", 17, 21, -0.02),
];

/// Short free-text remarks.
pub(crate) struct Phrases {
    pub en: &'static [&'static str],
    pub ar: &'static [&'static str],
}

pub(crate) const POSITIVE: Phrases = Phrases {
    en: &[
        "Friendly staff and a quick, well-organised visit.",
        "The employee explained everything clearly and patiently.",
        "Clean branch, short queue, and I was greeted straight away.",
        "Very professional; the staff member summarised my needs before advising.",
        "Smooth visit overall, would come back.",
        "The greeter guided me to the right counter at once.",
    ],
    ar: &[
        "تعامل راقٍ وخدمة سريعة ومنظمة.",
        "شرح الموظف كل شيء بوضوح وصبر.",
        "المكان نظيف والانتظار قصير، وتم الترحيب بي فوراً.",
        "أداء احترافي، ولخّص الموظف احتياجاتي قبل تقديم النصيحة.",
        "زيارة سلسة بشكل عام، وسأعود مرة أخرى.",
        "وجّهني موظف الاستقبال إلى الشباك الصحيح مباشرة.",
    ],
};

pub(crate) const NEGATIVE: Phrases = Phrases {
    en: &[
        "Long wait and nobody explained the delay.",
        "The staff member seemed rushed and did not ask about my needs.",
        "Information about fees was vague; I had to ask twice.",
        "Only one counter was open during the busy period.",
        "The employee was on the phone while serving me.",
        "I was not thanked or told the next steps.",
    ],
    ar: &[
        "انتظرت طويلاً ولم يوضح أحد سبب التأخير.",
        "بدا الموظف مستعجلاً ولم يسأل عن احتياجاتي.",
        "المعلومات عن الرسوم كانت غير واضحة واضطررت للسؤال مرتين.",
        "كان شباك واحد فقط يعمل وقت الذروة.",
        "كان الموظف يستخدم هاتفه أثناء خدمتي.",
        "لم يشكرني أحد ولم يوضح لي الخطوات التالية.",
    ],
};

/// Comments on failed items, by topic.
pub(crate) const FAIL_WAIT: Phrases = Phrases {
    en: &[
        "Two counters closed at noon",
        "Only one counter open for a long queue",
        "The queue screen was not updating",
    ],
    ar: &[
        "انتظرت طويلاً قبل أن يستقبلني أحد",
        "كان شباك واحد فقط يعمل والطابور طويل",
        "شاشة الانتظار لم تكن تتحدث",
    ],
};

pub(crate) const FAIL_CLEAN: Phrases = Phrases {
    en: &[
        "Litter near the entrance",
        "Floor in the waiting area was sticky",
        "Several lights out above the counters",
    ],
    ar: &[
        "مخلفات قرب المدخل",
        "أرضية منطقة الانتظار غير نظيفة",
        "عدة مصابيح معطلة فوق الشبابيك",
    ],
};

pub(crate) const FAIL_EQUIPMENT: Phrases = Phrases {
    en: &[
        "The machine showed an out-of-service message",
        "Screen frozen; staff said it has been like this for days",
    ],
    ar: &[
        "الجهاز خارج الخدمة",
        "الشاشة متوقفة وقال الموظف إنها كذلك منذ أيام",
    ],
};

pub(crate) const FAIL_GENERIC: Phrases = Phrases {
    en: &[
        "The staff member did not mention this at all",
        "Had to ask before it was offered",
        "Explanation was incomplete",
        "Staff seemed unaware of the procedure",
    ],
    ar: &[
        "لم يذكر الموظف ذلك إطلاقاً",
        "اضطررت إلى السؤال قبل أن يُعرض علي",
        "كان الشرح ناقصاً",
        "بدا الموظف غير ملم بالإجراء",
    ],
};

/// The comment topic for an item, from its key.
pub(crate) fn fail_phrases(item_key: &str) -> &'static Phrases {
    let has = |words: &[&str]| words.iter().any(|w| item_key.contains(w));
    if has(&["wait", "queue", "ticket", "time"]) {
        &FAIL_WAIT
    } else if has(&["clean", "premises", "facilit", "seating", "tidy"]) {
        &FAIL_CLEAN
    } else if has(&["atm", "kiosk", "system", "machine", "screen"]) {
        &FAIL_EQUIPMENT
    } else {
        &FAIL_GENERIC
    }
}

/// Arabic-Indic digits for branch-name suffixes.
pub(crate) fn arabic_digits(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0x0660 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}
