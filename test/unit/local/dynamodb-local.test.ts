import { describe, expect, it } from 'vitest';
import { assertJavaAvailable, JavaRequiredError } from '../../../src/local/dynamodb-local.ts';

describe('assertJavaAvailable', () => {
  it('says how to install Java when it is missing', () => {
    // Act
    const check = () => assertJavaAvailable('/nonexistent/java');

    // Assess
    expect(check).toThrow(JavaRequiredError);
    expect(check).toThrow(/needs Java 17 or later.*\n.*\n.*apt-get install -y openjdk-17-jre-headless/);
  });
});
