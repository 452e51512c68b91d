/** Questions meant to break something, shared by the library, CLI, bot and soak runs. */
export const HOSTILE_QUESTIONS: ReadonlyArray<{ name: string; question: string }> = [
  { name: 'empty', question: '' },
  { name: 'white space only', question: ' \n\t ' },
  {
    name: '10,000 characters',
    question: `${'What did Putin and Kim sign during the summit in the far east of Russia? '.repeat(140)}`.slice(
      0,
      10_000,
    ),
  },
  { name: 'only emoji', question: '😀🔥🚀📰🇷🇺🇰🇵👨‍👩‍👧‍👦' },
  { name: 'only punctuation', question: '?!.,;:…—()[]{}"\'«»¿¡' },
  {
    name: 'markdown and code blocks',
    question:
      '**What** did _Putin_ give `Kim`?\n```js\nwhile(true){fetch("https://example.invalid")}\n```\n> quote\n# heading ||spoiler||',
  },
  { name: '@everyone and @here', question: '@everyone @here What dog breed did Kim give Putin?' },
  {
    name: 'role, user and channel mentions',
    question: '<@&123456789012345678> <@456> <@!789> <#101112> What did Putin give Kim?',
  },
  { name: 'zero-width characters', question: 'What\u200b dog\u200c breed\u200d did\u2060 Kim give\ufeff Putin?\u200b' },
  { name: 'right-to-left text', question: 'ما هي سلالة الكلب التي أهداها كيم لبوتين؟' },
  { name: 'right-to-left override', question: '\u202eWhat dog breed did Kim give Putin?\u202c' },
  { name: 'Russian', question: 'Какую породу собак Ким подарил Путину?' },
  { name: 'control characters', question: 'What\u0000 did\u0007 Putin\u001b[31m give Kim?' },
];
