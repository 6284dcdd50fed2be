import { describe, expect, it } from 'vitest';
import { csvToTensors, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, delimiters and newlines inside quotes, CRLF and blank lines', () => {
    const t = parseCsv('name,note\r\n"Smith, J","said ""hi"""\r\n\r\nplain,"two\nlines"\n', { header: true });
    expect(t.header).toEqual(['name', 'note']);
    expect(t.rows).toEqual([
      ['Smith, J', 'said "hi"'],
      ['plain', 'two\nlines'],
    ]);
    expect(t.lines).toEqual([2, 4]);
  });

  it('detects headers', () => {
    expect(parseCsv('a,b\n1,2\n3,4').header).toEqual(['a', 'b']);
    expect(parseCsv('1,2\n3,4').header).toBeNull();
    expect(parseCsv('x,label\n1.5,cat\n2,dog').header).toEqual(['x', 'label']);
    expect(parseCsv('1.5,cat\n2,dog').header).toBeNull();
    expect(parseCsv('a;b\n1;2', { delimiter: ';' }).header).toEqual(['a', 'b']);
    expect(parseCsv('a,b\n1,2', { header: false }).rows).toHaveLength(2);
  });

  it('reports ragged rows with their line number', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', { name: 'data.csv' })).toThrow('data.csv: line 3 has 1 fields, expected 2 (as on line 1)');
    // the record that starts on line 4 spans two lines; it is reported at line 4
    expect(() => parseCsv('a,b\n1,2\n\n"x\ny",2,3\n')).toThrow(/line 4 has 3 fields/);
  });

  it('reports broken quoting', () => {
    expect(() => parseCsv('a,b\n"open,2\n')).toThrow(/unterminated quoted field starting on line 2/);
    expect(() => parseCsv('a,b\n"x"y,2\n')).toThrow(/line 2: unexpected character "y" after a closing quote/);
    expect(() => parseCsv('a,b\nx"y,2\n')).toThrow(/line 2: a quote inside an unquoted field/);
  });

  it('skips rows and comments', () => {
    const t = parseCsv('150,4,setosa\n# comment\n1,2,0\n3,4,1\n', { skipRows: 1, comment: '#', header: false });
    expect(t.rows).toEqual([
      ['1', '2', '0'],
      ['3', '4', '1'],
    ]);
  });
});

describe('csvToTensors', () => {
  const csv = 'len,width,kind\n1,2,cat\n3,4,dog\n5,6,cat\n';

  it('selects columns and a label column by name or index', () => {
    const a = csvToTensors(csv, { label: 'kind' });
    expect(a.x.shape).toEqual([3, 2]);
    expect(a.x.dtype).toBe('float32');
    expect(a.featureNames).toEqual(['len', 'width']);
    expect(Array.from(a.y!.dataSync())).toEqual([0, 1, 0]);
    expect(a.y!.dtype).toBe('int32');
    expect(a.classNames).toEqual(['cat', 'dog']);
    const b = csvToTensors(csv, { label: -1, columns: ['width'] });
    expect(Array.from(b.x.dataSync())).toEqual([2, 4, 6]);
    expect(b.labelName).toBe('kind');
    const c = csvToTensors(csv, { columns: [0] });
    expect(c.y).toBeUndefined();
    expect(Array.from(c.x.dataSync())).toEqual([1, 3, 5]);
  });

  it('reads integer labels as int32 and fractional ones as float32', () => {
    const ints = csvToTensors('f,y\n0.5,2\n1.5,0\n', { label: 'y' });
    expect(ints.y!.dtype).toBe('int32');
    expect(Array.from(ints.y!.dataSync())).toEqual([2, 0]);
    const reg = csvToTensors('f,y\n0.5,2.5\n1.5,0\n', { label: 'y' });
    expect(reg.y!.dtype).toBe('float32');
    expect(Array.from(reg.y!.dataSync())).toEqual([2.5, 0]);
  });

  it('names the line and column of bad values', () => {
    expect(() => csvToTensors('a,b\n1,2\n3,x\n', { name: 't.csv' })).toThrow(`t.csv: line 3, column 'b': "x" is not a number`);
    expect(() => csvToTensors('a,b\n1,\n')).toThrow(/line 2, column 'b': missing value/);
    expect(Number.isNaN(csvToTensors('a,b\n1,\n', { missing: 'nan' }).x.dataSync()[1])).toBe(true);
    expect(() => csvToTensors(csv, { label: 'nope' })).toThrow(/no label column 'nope' \(columns: len, width, kind\)/);
    expect(() => csvToTensors('1,2\n3,4', { label: 'kind' })).toThrow(/given by name, but the CSV has no header/);
    expect(() => csvToTensors(csv, { columns: [5] })).toThrow(/feature column 5 is out of range/);
  });
});
