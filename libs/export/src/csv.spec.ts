import { csvField, csvRecord, CsvParser, CsvSyntaxError, parseCsv } from './csv';

describe('csvField (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', '""'],
    [' spaced ', ' spaced '],
    ['Ville de Démo', 'Ville de Démo'],
  ])('%j → %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes a missing value as an empty field', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvRecord(['a', null, 'b,c'])).toBe('a,,"b,c"\r\n');
  });
});

describe('CsvParser', () => {
  it('reads back what csvRecord writes, missing values and empty strings apart', () => {
    const values = [
      ['id', 'attributes', 'name'],
      ['s1', '{"role":"customer","note":"a, \\"b\\""}', 'Mairie'],
      ['s2', null, ''],
      ['s3', 'multi\r\nline', 'x'],
    ];
    const text = values.map(csvRecord).join('');
    const rows = parseCsv(text);
    expect(rows.map((r) => r.fields)).toEqual(values);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 4]);
  });

  it('accepts LF line ends and a last record without a line end', () => {
    expect(parseCsv('a,b\n1,2\n3,4').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('reads records split anywhere across chunks', () => {
    const text = csvRecord(['x', 'he said "no, never"', 'end']).repeat(3);
    for (let cut = 1; cut < text.length; cut++) {
      const p = new CsvParser();
      const rows = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut)), ...p.end()];
      expect(rows.map((r) => r.fields[1])).toEqual(Array(3).fill('he said "no, never"'));
    }
  });

  it.each([
    ['a,"unclosed\n', 1, 'never closed'],
    ['a,b\nx,"q"y\n', 2, "unexpected 'y'"],
    ['a,b\nx,y"z\n', 2, 'double quote inside an unquoted field'],
  ])('refuses %j at line %d', (text, line, detail) => {
    let err: unknown;
    try {
      parseCsv(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect((err as CsvSyntaxError).line).toBe(line);
    expect((err as CsvSyntaxError).detail).toContain(detail);
  });
});
