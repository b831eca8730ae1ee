//! The terminal, through crossterm: raw mode, the alternate screen, drawing rows and reading
//! keys. The only module of the watch loop that touches the terminal; leaving it (on quit, on
//! an error, even on a panic) always gives the learner their shell back as it was.

use std::io::{self, IsTerminal, Write};
use std::sync::Once;
use std::sync::mpsc::Sender;

use crossterm::cursor::{Hide, MoveTo, Show};
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::terminal::{
    self, BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen,
};
use crossterm::{execute, queue};

use super::state::{Input, Key};
use super::text::strip;

/// Whether the loop can take over the terminal: both stdin and stdout must be one.
pub(crate) fn is_interactive() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

/// Whether styles should be drawn (`--color`, `NO_COLOR` and `TERM=dumb` are honoured).
pub(crate) fn colour() -> bool {
    anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
}

/// The terminal in full-screen mode; dropping it restores the terminal.
pub(crate) struct Screen {
    colour: bool,
}

impl Screen {
    pub(crate) fn enter(colour: bool) -> io::Result<Screen> {
        terminal::enable_raw_mode()?;
        if let Err(error) = execute!(io::stdout(), EnterAlternateScreen, Hide) {
            restore();
            return Err(error);
        }
        restore_on_panic();
        Ok(Screen { colour })
    }

    /// Columns and rows (80 × 24 if the terminal will not say).
    pub(crate) fn size(&self) -> (usize, usize) {
        terminal::size().map_or((80, 24), |(columns, rows)| {
            (usize::from(columns), usize::from(rows))
        })
    }

    /// Draws `rows` from the top, each replacing what the row held, in one synchronized update
    /// so the screen never shows half a frame.
    pub(crate) fn draw(&mut self, rows: &[String]) -> io::Result<()> {
        let mut buffer = Vec::with_capacity(4096);
        queue!(buffer, BeginSynchronizedUpdate)?;
        for (index, row) in rows.iter().enumerate() {
            // Clear first, then write: erasing after a full-width row would erase its last
            // character, where the cursor waits.
            queue!(
                buffer,
                MoveTo(0, index as u16),
                Clear(ClearType::CurrentLine)
            )?;
            if self.colour {
                buffer.extend_from_slice(row.as_bytes());
                buffer.extend_from_slice(b"\x1b[0m");
            } else {
                buffer.extend_from_slice(strip(row).as_bytes());
            }
        }
        queue!(buffer, EndSynchronizedUpdate)?;
        let mut stdout = io::stdout().lock();
        stdout.write_all(&buffer)?;
        stdout.flush()
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore();
    }
}

fn restore() {
    let _ = execute!(io::stdout(), LeaveAlternateScreen, Show);
    let _ = terminal::disable_raw_mode();
}

/// A panic message printed on the alternate screen in raw mode would be lost and leave the
/// shell unusable: restore the terminal first.
fn restore_on_panic() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Reads keys (and size changes) on a thread of its own and sends them to the loop.
pub(crate) fn spawn_key_reader(inputs: Sender<Input>) {
    std::thread::spawn(move || {
        while let Ok(event) = event::read() {
            let input = match event {
                Event::Key(key) if key.kind != KeyEventKind::Release => Input::Key(key_for(key)),
                Event::Resize(..) => Input::Resized,
                _ => continue,
            };
            if inputs.send(input).is_err() {
                break;
            }
        }
    });
}

/// Quits the loop when the terminal hangs up: a closed window whose hang-up signal did not
/// reach kata (the terminal was not its controlling one) would otherwise leave it watching
/// forever, and crossterm's reader then spins on a terminal that reads as empty. Waits in
/// `poll` for the hang-up alone, so it costs nothing meanwhile.
pub(crate) fn spawn_hang_up_watch(inputs: Sender<Input>) {
    std::thread::spawn(move || {
        loop {
            match stdin_hung_up(None) {
                Ok(true) => {
                    let _ = inputs.send(Input::Key(Key::Quit));
                    return;
                }
                Ok(false) | Err(rustix::io::Errno::INTR) => {}
                Err(_) => return,
            }
        }
    });
}

/// Whether the terminal has hung up, right now (a failed draw is no error then: the loop is
/// about to quit).
pub(crate) fn hung_up() -> bool {
    let now = rustix::event::Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    stdin_hung_up(Some(&now)).unwrap_or(false)
}

/// Waits up to `timeout` (for ever with `None`) for stdin to hang up.
fn stdin_hung_up(timeout: Option<&rustix::event::Timespec>) -> rustix::io::Result<bool> {
    use rustix::event::{PollFd, PollFlags, poll};
    let stdin = io::stdin();
    // No events asked for: a hang-up or an error is reported whatever is asked.
    let mut fds = [PollFd::new(&stdin, PollFlags::empty())];
    poll(&mut fds, timeout)?;
    let gone = PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL;
    Ok(fds[0].revents().intersects(gone))
}

fn key_for(key: KeyEvent) -> Key {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        // Raw mode turns Ctrl-C into a key rather than a signal.
        return match key.code {
            KeyCode::Char('c' | 'd') => Key::Quit,
            _ => Key::Unknown,
        };
    }
    match key.code {
        KeyCode::Char('h' | 'H') => Key::Hint,
        KeyCode::Char('n' | 'N') => Key::Next,
        KeyCode::Char('r' | 'R') => Key::Rerun,
        KeyCode::Char('l' | 'L') => Key::List,
        KeyCode::Char('p' | 'P') => Key::Prompt,
        KeyCode::Char('q' | 'Q') => Key::Quit,
        KeyCode::Char('k') | KeyCode::Up => Key::Up,
        KeyCode::Char('j') | KeyCode::Down => Key::Down,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown | KeyCode::Char(' ') => Key::PageDown,
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc | KeyCode::Backspace => Key::Back,
        _ => Key::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_arrows_map_to_keys() {
        let key = |code| key_for(KeyEvent::new(code, KeyModifiers::NONE));
        assert_eq!(key(KeyCode::Char('h')), Key::Hint);
        assert_eq!(key(KeyCode::Char('n')), Key::Next);
        assert_eq!(key(KeyCode::Char('r')), Key::Rerun);
        assert_eq!(key(KeyCode::Char('l')), Key::List);
        assert_eq!(key(KeyCode::Char('q')), Key::Quit);
        assert_eq!(key(KeyCode::Down), Key::Down);
        assert_eq!(key(KeyCode::Char('x')), Key::Unknown);
        assert_eq!(
            key_for(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Key::Quit
        );
    }
}
