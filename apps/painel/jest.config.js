module.exports = { displayName: 'painel', preset: '../../jest.preset.js', rootDir: __dirname };
