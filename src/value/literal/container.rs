//! Tuples, lists, dicts and sets: their items, and the keys and members Python would refuse
//! as unhashable.

use super::{LiteralError, Parser};
use crate::value::Value;

impl Parser<'_> {
    /// Items up to `close`, separated by commas, with an optional trailing comma.
    pub(super) fn items(
        &mut self,
        close: char,
        depth: usize,
        context: &str,
    ) -> Result<Vec<Value>, LiteralError> {
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                return Ok(items);
            }
            items.push(self.value(depth + 1)?);
            if !self.eat(',') {
                self.expect(close, &format!("or `,` {context}"))?;
                return Ok(items);
            }
        }
    }

    pub(super) fn parenthesised(&mut self, depth: usize) -> Result<Value, LiteralError> {
        self.bump();
        if self.eat(')') {
            return Ok(Value::Tuple(Vec::new()));
        }
        let first = self.value(depth + 1)?;
        if self.eat(')') {
            return Ok(first); // a parenthesised value, not a tuple
        }
        self.expect(',', "or `)` in this tuple")?;
        let mut items = vec![first];
        items.extend(self.items(')', depth, "in this tuple")?);
        Ok(Value::Tuple(items))
    }

    pub(super) fn braced(&mut self, depth: usize) -> Result<Value, LiteralError> {
        let start = self.pos;
        self.bump();
        if self.eat('}') {
            return Ok(Value::Dict(Vec::new()));
        }
        let first_start = self.pos;
        let first = self.value(depth + 1)?;
        if self.eat(':') {
            self.check_key(&first, first_start)?;
            let mut pairs = vec![(first, self.value(depth + 1)?)];
            while self.eat(',') {
                if self.eat('}') {
                    return Ok(Value::dict_from(pairs));
                }
                self.skip_trivia();
                let key_start = self.pos;
                let key = self.value(depth + 1)?;
                self.check_key(&key, key_start)?;
                self.expect(':', "after this dict key")?;
                pairs.push((key, self.value(depth + 1)?));
            }
            self.expect('}', "or `,` in this dict")?;
            return Ok(Value::dict_from(pairs));
        }
        let mut items = vec![first];
        if self.eat(',') {
            items.extend(self.items('}', depth, "in this set")?);
        } else {
            self.expect('}', "or `,` in this set")?;
        }
        self.check_hashable(&items, start)?;
        Ok(Value::set_from(items))
    }

    fn check_key(&self, key: &Value, offset: usize) -> Result<(), LiteralError> {
        if key.is_hashable() {
            Ok(())
        } else {
            Err(self.error_at(
                offset,
                format!("unhashable type `{}` cannot be a dict key", key.type_name()),
            ))
        }
    }

    pub(super) fn check_hashable(
        &self,
        items: &[Value],
        offset: usize,
    ) -> Result<(), LiteralError> {
        match items.iter().find(|item| !item.is_hashable()) {
            Some(item) => Err(self.error_at(
                offset,
                format!(
                    "unhashable type `{}` cannot be a set element",
                    item.type_name()
                ),
            )),
            None => Ok(()),
        }
    }
}
