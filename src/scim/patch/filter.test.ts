// The value-filter parser and matcher used inside PATCH path brackets.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isAppError } from "../../errors.ts";
import { findAttribute, userAttributes } from "../schemas/index.ts";
import { elementFromFilter, matchesFilter, memberIdsFromFilter, parseValueFilter } from "./filter.ts";

const emails = findAttribute(userAttributes, "emails")!;
const work = { value: "Ann@Corp.example", type: "work", primary: true, display: "Ann \u00e9" };

describe("value filter: matching", () => {
  const rows: [string, boolean][] = [
    ['type eq "work"', true],
    ['type eq "WORK"', true],
    ['value eq "ann@corp.example"', true],
    ['type ne "work"', false],
    ['display eq "Ann \\u00e9"', true], // JSON escapes are decoded
    ['display co "\\u00C9"', true], // and compared case-insensitively
    ['value co "CORP"', true],
    ['value sw "ann@"', true],
    ['value ew ".EXAMPLE"', true],
    ["value pr", true],
    ["type pr and display pr", true],
    ['value gt "amm"', true],
    ['value ge "ann@corp.example"', true],
    ['value lt "ann@corp.example"', false],
    ['value le "ANN@CORP.EXAMPLE"', true],
    ["primary eq true", true],
    ["primary eq false", false],
    ['primary eq "True"', true], // Entra-style string boolean, coerced by the sub-attribute type
    ["primary ne true", false],
    ["value eq null", false],
    ["value ne null", true],
    ['not (type eq "home")', true],
    ['not (type eq "home")', true],
    ['type eq "home" or primary eq true', true],
    ['type eq "home" or type eq "other"', false],
    ['type eq "work" and (primary eq false or value co "corp")', true],
    ['TYPE EQ "work" AND PRIMARY EQ TRUE', true],
    ['emails.type eq "work"', true],
  ];
  for (const [filter, expected] of rows) {
    test(`[${filter}] → ${expected}`, () => assert.equal(matchesFilter(parseValueFilter(filter, emails), work), expected));
  }

  test("a missing sub-attribute only matches ne", () => {
    assert.equal(matchesFilter(parseValueFilter('type eq "work"', emails), { value: "x" }), false);
    assert.equal(matchesFilter(parseValueFilter('type ne "work"', emails), { value: "x" }), true);
    assert.equal(matchesFilter(parseValueFilter("type pr", emails), { value: "x", type: "" }), false);
  });
});

describe("value filter: helpers", () => {
  test("elementFromFilter builds the element an and-of-eq filter describes", () => {
    assert.deepEqual(elementFromFilter(parseValueFilter('type eq "work" and primary eq true', emails)), { type: "work", primary: true });
    assert.equal(elementFromFilter(parseValueFilter('type eq "work" or type eq "home"', emails)), undefined);
    assert.equal(elementFromFilter(parseValueFilter('type eq "work" and type eq "home"', emails)), undefined);
    assert.equal(elementFromFilter(parseValueFilter('type co "w"', emails)), undefined);
  });

  test("memberIdsFromFilter accepts value eq joined by or only", () => {
    assert.deepEqual(memberIdsFromFilter(parseValueFilter('value eq "a" or value eq "b" or value eq "a"', emails)), ["a", "b"]);
    assert.equal(memberIdsFromFilter(parseValueFilter('value eq "a" and type eq "User"', emails)), undefined);
    assert.equal(memberIdsFromFilter(parseValueFilter('value co "a"', emails)), undefined);
  });
});

describe("value filter: refused", () => {
  const bad = [
    "",
    "   ",
    "type",
    "type eq",
    'type eq "a" "b"',
    'type eq "a" and',
    'or type eq "a"',
    '(type eq "a"',
    'type eq "a")',
    "type eq work",
    'kind eq "a"',
    'type ~ "a"',
    "primary gt false",
    "primary co true",
    "value lt null",
    'value eq "unterminated',
    'value eq "\\x41"',
    "value eq 1",
    `${"not ".repeat(20)}type pr`,
    `${"(".repeat(40)}type pr${")".repeat(40)}`,
    // RFC 7644 §3.4.2.2 ABNF: `not` takes a parenthesised filter, here as in GET filters.
    'not type eq "home"',
    'type eq "a" [x]',
  ];
  for (const f of bad) {
    test(`refuses ${JSON.stringify(f)} with invalidFilter`, () => {
      assert.throws(
        () => parseValueFilter(f, emails),
        (e: unknown) => isAppError(e) && e.status === 400 && e.scimType === "invalidFilter",
      );
    });
  }
});
