module.exports = { displayName: 'faturas', preset: '../../jest.preset.js', rootDir: __dirname };
