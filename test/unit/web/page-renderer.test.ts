import { describe, expect, it } from 'vitest';
import { breakableEmail } from '../../../src/web/page-renderer.ts';

describe('breakableEmail', () => {
  it('lets an address wrap after its @ and before each dot, never mid-word', () => {
    expect(String(breakableEmail('pat.smith@mail.example.org'))).toBe(
      'pat<wbr>.smith@<wbr>mail<wbr>.example<wbr>.org',
    );
  });

  it.each([
    ['<script>alert(1)</script>@example.org', '&lt;script&gt;alert(1)&lt;/script&gt;@<wbr>example<wbr>.org'],
    ['o\'brien"x@example.org', 'o&#39;brien&quot;x@<wbr>example<wbr>.org'],
    ['a&b@example.org', 'a&amp;b@<wbr>example<wbr>.org'],
  ])('escapes what it is given before it adds anything: %s', (address, html) => {
    expect(String(breakableEmail(address))).toBe(html);
  });
});
