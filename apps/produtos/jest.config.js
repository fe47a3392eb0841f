module.exports = { displayName: 'produtos', preset: '../../jest.preset.js', rootDir: __dirname };
