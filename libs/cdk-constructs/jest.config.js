module.exports = { displayName: 'cdk-constructs', preset: '../../jest.preset.js', rootDir: __dirname };
