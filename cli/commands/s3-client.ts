// The S3 calls `upload` makes, in a module of our own that `upload` imports when it runs: bundled
// (cli/build.ts), an ES module's chunk keeps its named exports, where a dynamically imported CommonJS
// package (the SDK) would arrive as a bare `default`.
export {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
