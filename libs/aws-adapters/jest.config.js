module.exports = {
  displayName: 'aws-adapters',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 30000,
};
