module.exports = { displayName: 'pedidos', preset: '../../jest.preset.js', rootDir: __dirname };
