import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeNik, makeNip } from '#domain/identifiers.ts';
import { maskName, maskNik, maskNip, maskValue } from '#domain/masking.ts';
import { HOSTILE_INPUTS, unicodeText } from './hostile-inputs.ts';

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

describe('masking personal data', () => {
  it('keeps the region of a NIK and the last two digits', () => {
    expect(maskNik('1504010107900001')).toBe('1504**********01');
    expect(maskNip('198609262015051001')).toBe('1986************01');
  });

  it('keeps only initials of a name', () => {
    expect(maskName('Siti Aminah')).toBe('S*** A***');
    expect(maskName('  H.  Ahmad   Fauzi ')).toBe('H*** A*** F***');
    expect(maskName('')).toBe('');
    expect(maskName(undefined)).toBe('');
  });

  it('masks a malformed or short id whole instead of revealing part of it', () => {
    expect(maskNik('1504')).toBe('****');
    expect(maskNik('150401010790000')).toBe('*'.repeat(15));
    expect(maskNik('15040101079000011')).toBe('*'.repeat(16));
    expect(maskNip('x')).toBe('*');
    expect(maskNik('')).toBe('*');
    expect(maskNik(null)).toBe('*');
  });

  it('picks the masker by field name', () => {
    const nik = '1504010107900001';
    expect(maskValue('nik', nik)).toBe('1504**********01');
    expect(maskValue('worker_nik', nik)).toBe('1504**********01');
    expect(maskValue('NIK_PEKERJA', nik)).toBe('1504**********01');
    expect(maskValue('workerNik', nik)).toBe('1504**********01');
    expect(maskValue('nip', '198609262015051001')).toBe('1986************01');
    expect(maskValue('Nama', 'Siti Aminah')).toBe('S*** A***');
    expect(maskValue('name', 'Siti Aminah')).toBe('S*** A***');
    expect(maskValue('kpj', '12345678901')).toBe('12*******01');
    expect(maskValue('amount', 16800)).toBe('16800');
    expect(maskValue('pool', '15.04')).toBe('15.04');
    expect(maskValue('note', 'x'.repeat(500))).toHaveLength(60);
  });

  it('never throws on odd input', () => {
    for (const input of HOSTILE_INPUTS) {
      for (const field of ['nik', 'nip', 'nama', 'other'])
        expect(typeof maskValue(field, input)).toBe('string');
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(maskValue('other', cyclic)).toBe('[object]');
    expect(maskValue('other', { big: 1n })).toBe('[object]');
    fc.assert(
      fc.property(fc.oneof(fc.string(), unicodeText()), fc.anything({ maxDepth: 1 }), (field, value) => {
        expect(Array.from(maskValue(field, value)).length).toBeLessThanOrEqual(60);
      }),
    );
  });

  it('never reveals a full NIK or NIP, nor more than 6 of its digits', () => {
    fc.assert(
      fc.property(digits(16), digits(18), (nik, nip) => {
        for (const [masked, id] of [
          [maskNik(nik), nik],
          [maskValue('worker_nik', nik), nik],
          [maskNip(nip), nip],
          [maskValue('nip', nip), nip],
        ] as const) {
          expect(masked).not.toContain(id);
          expect(masked.replace(/\*/g, '').length).toBeLessThanOrEqual(6);
        }
      }),
    );
    const nik = makeNik({ regency: '15.04', district: '01', birth: '1990-01-01', female: true, seq: 7 });
    const nip = makeNip({ birth: '1986-09-26', appointment: '2015-05', gender: 1, seq: 1 });
    expect(maskValue('nik', nik)).not.toContain(nik.slice(4, 14));
    expect(maskValue('nip', nip)).not.toContain(nip.slice(4, 16));
  });

  it('never reveals more of a name than its initials', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z]{2,12}$/), { minLength: 1, maxLength: 4 }),
        (words) => {
          const masked = maskName(words.join(' '));
          expect(masked).toBe(words.map((w) => `${w.charAt(0)}***`).join(' '));
        },
      ),
    );
  });
});
