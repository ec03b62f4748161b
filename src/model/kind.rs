//! The item type: the CSL 1.0.2 type list.

use serde::{Deserialize, Serialize};

macro_rules! kinds {
    ($($variant:ident => $csl:literal,)*) => {
        /// The item type, one variant per CSL 1.0.2 type.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[allow(missing_docs)]
        pub enum Kind {
            $(#[serde(rename = $csl)] $variant,)*
            /// An item of no more specific type (`document`).
            #[default]
            #[serde(rename = "document")]
            Document,
        }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: &[Kind] = &[$(Kind::$variant,)* Kind::Document];

            /// The CSL name of this type (`article-journal`).
            pub fn as_csl(self) -> &'static str {
                match self {
                    $(Kind::$variant => $csl,)*
                    Kind::Document => "document",
                }
            }

            /// The kind named by a CSL type, or `None` for a name outside CSL's list.
            pub fn from_csl(name: &str) -> Option<Kind> {
                match name {
                    $($csl => Some(Kind::$variant),)*
                    "document" => Some(Kind::Document),
                    _ => None,
                }
            }
        }
    };
}

kinds! {
    Article => "article",
    ArticleJournal => "article-journal",
    ArticleMagazine => "article-magazine",
    ArticleNewspaper => "article-newspaper",
    Bill => "bill",
    Book => "book",
    Broadcast => "broadcast",
    Chapter => "chapter",
    Classic => "classic",
    Collection => "collection",
    Dataset => "dataset",
    EntryDictionary => "entry-dictionary",
    EntryEncyclopedia => "entry-encyclopedia",
    Entry => "entry",
    Event => "event",
    Figure => "figure",
    Graphic => "graphic",
    Hearing => "hearing",
    Interview => "interview",
    LegalCase => "legal_case",
    Legislation => "legislation",
    Manuscript => "manuscript",
    Map => "map",
    MotionPicture => "motion_picture",
    MusicalScore => "musical_score",
    Pamphlet => "pamphlet",
    PaperConference => "paper-conference",
    Patent => "patent",
    Performance => "performance",
    Periodical => "periodical",
    PersonalCommunication => "personal_communication",
    Post => "post",
    PostWeblog => "post-weblog",
    Regulation => "regulation",
    Report => "report",
    Review => "review",
    ReviewBook => "review-book",
    Software => "software",
    Song => "song",
    Speech => "speech",
    Standard => "standard",
    Thesis => "thesis",
    Treaty => "treaty",
    Webpage => "webpage",
}
