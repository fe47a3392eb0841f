module.exports = { displayName: 'local-platform', preset: '../../jest.preset.js', rootDir: __dirname };
