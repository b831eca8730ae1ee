//! `[support]`: the stock modules and code the candidate's program gets.

use toml::Spanned;

use super::Checker;
use crate::exercise::code::Code;
use crate::exercise::manifest::RawHeader;
use crate::exercise::model::Support;
use crate::sandbox_files;

impl Checker<'_> {
    pub(super) fn support(&mut self, header: &RawHeader) -> Support {
        let support = &header.support;
        for module in &support.modules {
            if sandbox_files::stock_module(module.get_ref()).is_none() {
                self.unknown_name(
                    Code::UnknownStockModule,
                    module,
                    "stock support module",
                    sandbox_files::STOCK_MODULE_NAMES,
                );
            }
        }
        let text = |code: &Option<Spanned<String>>| {
            code.as_ref()
                .map(|c| c.get_ref().clone())
                .unwrap_or_default()
        };
        Support {
            modules: support
                .modules
                .iter()
                .map(|m| m.get_ref().clone())
                .collect(),
            code: text(&support.code),
            cases: text(&support.cases),
            leetcode: None,
        }
    }
}
