module.exports = { displayName: 'lambda-kit', preset: '../../jest.preset.js', rootDir: __dirname };
