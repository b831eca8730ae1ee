//! What each key does, in the exercise view and in the list.

use super::{Display, Effect, Key, Page, WatchState};
use crate::workspace::ProgressEvent;

impl WatchState<'_> {
    pub(super) fn exercise_key(&mut self, key: Key) -> Vec<Effect> {
        match key {
            Key::Hint => self.hint(),
            Key::Next => match self.next_unsolved() {
                Some(next) => {
                    let index = self
                        .curriculum
                        .position(&next.id)
                        .expect("in the curriculum");
                    self.open(index)
                }
                None => {
                    self.notice = Some(
                        if self.passed() || self.solved_count() == self.exercises().len() {
                            "Every exercise is solved: well done! (l lists them all)".to_string()
                        } else {
                            "This is the only unsolved exercise left.".to_string()
                        },
                    );
                    Vec::new()
                }
            },
            Key::Rerun | Key::Enter => self.grade(false),
            Key::List => {
                match self.display {
                    Display::Screen => {
                        self.view = Page::List {
                            selected: self.current,
                        }
                    }
                    Display::Plain => self.list_requests += 1,
                }
                Vec::new()
            }
            Key::Prompt => {
                match (self.display, &mut self.view) {
                    (
                        Display::Screen,
                        Page::Exercise {
                            full_prompt,
                            scroll,
                        },
                    ) => {
                        *full_prompt = !*full_prompt;
                        *scroll = 0;
                    }
                    _ => self.prompt_requests += 1,
                }
                Vec::new()
            }
            Key::Up | Key::Down | Key::PageUp | Key::PageDown => {
                if let Page::Exercise { scroll, .. } = &mut self.view {
                    *scroll = match key {
                        Key::Up => scroll.saturating_sub(1),
                        Key::Down => *scroll + 1,
                        Key::PageUp => scroll.saturating_sub(10),
                        _ => *scroll + 10,
                    }
                    .min(self.scroll_limit);
                }
                Vec::new()
            }
            Key::Quit => vec![Effect::Quit],
            Key::Back => Vec::new(),
            Key::Unknown => {
                self.notice = Some(match self.display {
                    Display::Screen => "Keys: h hint, n next, r re-run, l list, p prompt, q quit.",
                    Display::Plain => {
                        "Type h (hint), n (next), r (re-run), l (list), p (prompt) or q (quit), then Enter."
                    }
                }
                .to_string());
                Vec::new()
            }
        }
    }

    pub(super) fn list_key(&mut self, key: Key, selected: usize) -> Vec<Effect> {
        let last = self.exercises().len().saturating_sub(1);
        let select = |selected| Page::List { selected };
        match key {
            Key::Up => self.view = select(selected.saturating_sub(1)),
            Key::Down => self.view = select((selected + 1).min(last)),
            Key::PageUp => self.view = select(selected.saturating_sub(10)),
            Key::PageDown => self.view = select((selected + 10).min(last)),
            Key::Enter if selected != self.current => return self.open(selected),
            Key::Quit => return vec![Effect::Quit],
            _ => {
                self.view = Page::Exercise {
                    full_prompt: false,
                    scroll: 0,
                }
            }
        }
        Vec::new()
    }

    fn hint(&mut self) -> Vec<Effect> {
        let exercise = self.exercise();
        let total = exercise.hints.len();
        let shown = self.hints_shown();
        if total == 0 {
            self.notice = Some("This exercise has no hints: the prompt says it all.".to_string());
            return Vec::new();
        }
        if shown >= total {
            self.notice = Some(format!("That was the last hint ({total} of {total})."));
            return Vec::new();
        }
        if let Page::Exercise { scroll, .. } = &mut self.view {
            *scroll = 0;
        }
        let event = ProgressEvent::HintShown {
            id: exercise.id.clone(),
            count: shown as u32 + 1,
        };
        self.progress.apply(&event);
        vec![Effect::Record(event)]
    }
}
